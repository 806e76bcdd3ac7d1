"""The member database: profiles, the directory, import and export."""

from flask import Flask

from .. import i18n, imports, search
from ..auth.signals import account_changed
from . import countries
from .vocabulary import CONVENTION_ROLES, LANGUAGES, ORGANISATION_TYPES


def register(app: Flask) -> None:
    """Blueprint, search adapter, account hook, template helpers and commands."""
    from . import (
        activity,
        bulk,
        cli,
        designation_views,  # noqa: F401 (its routes join the blueprint)
        designations,
        indexing,
        permissions,
        service,
    )
    from .views import bp

    app.register_blueprint(bp)
    permissions.register_rules(app)
    permissions.register_predicates(app)
    activity.register(app)
    search.register_adapter(app, indexing.MemberAdapter())
    account_changed.connect(service.on_account_changed)
    designations.register(app)
    app.cli.add_command(cli.members_cli)
    imports.register_kind(app, bulk.KIND)
    app.context_processor(_template_names)
    service.register_riders(app)
    app.add_template_filter(_language_name, "language_name")
    i18n.register_member_preferences(app, i18n.MemberPreferences(
        locale=service.member_locale, zone=service.member_zone,
        recipients=service.mail_recipients))


def _template_names() -> dict:
    return {
        "country_name": countries.name,
        "region_slugs": countries.REGION_SLUGS,
        "region_name": countries.region_name,
        "organisation_types": ORGANISATION_TYPES,
        "convention_roles": CONVENTION_ROLES,
    }


def _language_name(code: str) -> str:
    return str(LANGUAGES.get(code, code))
