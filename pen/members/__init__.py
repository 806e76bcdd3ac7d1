"""The member database: profiles, the directory, import and export."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from .. import i18n, imports, search
from ..auth.signals import account_changed
from ..vocabulary import Kind, fixed_terms, register_kind
from . import countries
from .vocabulary import (
    CONVENTION_ROLE_LABELS,
    CONVENTION_ROLES,
    LANGUAGES,
    ORGANISATION_TYPE_LABELS,
    ORGANISATION_TYPES,
)


def register(app: Flask) -> None:
    """Blueprint, search adapter, account hook, template helpers and commands."""
    _register_stored(app)
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
    _register_vocabulary(app, service)


def _register_vocabulary(app: Flask, service) -> None:
    """Expertise terms, organisation types and Convention roles get labels per language."""
    register_kind(app, Kind(
        "expertise", _l("Areas of expertise"), searchable=True,
        terms=lambda: [(str(term.id), term.name) for term in service.vocabulary()]))
    register_kind(app, Kind(
        "organisation_type", _l("Types of organisation"), fixed=ORGANISATION_TYPES,
        terms=fixed_terms(ORGANISATION_TYPES)))
    register_kind(app, Kind(
        "convention_role", _l("Roles under the Convention"), fixed=CONVENTION_ROLES,
        terms=fixed_terms(CONVENTION_ROLES)))


def _template_names() -> dict:
    return {
        "country_name": countries.name,
        "region_slugs": countries.REGION_SLUGS,
        "region_name": countries.region_name,
        "organisation_types": ORGANISATION_TYPE_LABELS,
        "convention_roles": CONVENTION_ROLE_LABELS,
    }


def _language_name(code: str) -> str:
    return str(LANGUAGES.get(code, code))


def _register_stored(app: Flask) -> None:
    """The Markdown this area stores rendered, for ``markup rerender``."""
    from .. import rerender
    from .models import Profile

    rerender.register_stored(app, "member profiles", Profile, "bio", "bio_html")
