"""The PEN platform: ``create_app`` builds the Flask application."""

import os
from pathlib import Path

from flask import Flask
from flask_babel import get_locale, gettext
from flask_login import current_user

from . import (
    assets,
    avatars,
    config,
    database,
    errorpages,
    health,
    i18n,
    layout,
    links,
    markup,
    requestlog,
    search,
    security,
    startup,
    staticfiles,
    worker,
)
from .extensions import csrf, db, limiter, migrate


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: settings, extensions, access control, blueprints, pages, commands."""
    instance_path = (overrides or {}).get("INSTANCE_PATH") or os.environ.get("PEN_INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    config.load(app, overrides)
    startup.check(app)
    requestlog.register(app)  # first: it times and numbers every request, refused ones too
    register_extensions(app)
    register_models()
    register_access(app)
    register_blueprints(app)
    register_areas(app)
    register_templates(app)
    errorpages.register(app)
    staticfiles.register(app)  # inside ProxyFix (security), which must stay outermost
    security.register(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extension objects to this app."""
    db.init_app(app)
    database.register(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    csrf.init_app(app)
    limiter.init_app(app)
    health.register_check(app, health.rate_limit_store)
    assets.register(app)
    i18n.register(app)
    avatars.init_app(app)


def _migrations_dir() -> Path:
    """The Alembic revisions, shipped inside the package so an installed wheel can upgrade."""
    return Path(__file__).resolve().parent / "migrations"


def register_models() -> None:
    """Import every models module so metadata (and migrations) see all tables."""
    from . import audit, mail, vocabulary  # noqa: F401
    from .applications import models as application_models  # noqa: F401
    from .auth import models  # noqa: F401
    from .awards import models as award_models  # noqa: F401
    from .events import models as event_models  # noqa: F401
    from .forums import models as forum_models  # noqa: F401
    from .groups import models as group_models  # noqa: F401
    from .imports import models as import_models  # noqa: F401
    from .library import models as library_models  # noqa: F401
    from .members import models as member_models  # noqa: F401
    from .messages import models as message_models  # noqa: F401
    from .monitoring import models as monitoring_models  # noqa: F401
    from .notifications import models as notification_models  # noqa: F401
    from .onboarding import models as onboarding_models  # noqa: F401
    from .privacy import models as privacy_models  # noqa: F401
    from .search import models as search_models  # noqa: F401


def register_access(app: Flask) -> None:
    """Sessions and the deny-by-default check."""
    from .auth import access

    access.register(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area."""
    from .admin import (  # noqa: F401  (admin routes)
        failure_views,
        import_views,
        synonym_views,
        vocabulary_views,
    )
    from .admin.views import bp as admin_bp
    from .auth import twofactor_views  # noqa: F401  (its routes join the auth blueprint)
    from .auth.views import bp as auth_bp
    from .auth.views import shortcuts as auth_shortcuts
    from .home.views import bp as home_bp

    for blueprint in (auth_bp, auth_shortcuts, home_bp, admin_bp):
        app.register_blueprint(blueprint)


def register_areas(app: Flask) -> None:
    """Areas that bring more than a blueprint: search adapters, hooks, commands."""
    from . import (
        applications,
        awards,
        events,
        failures,
        forums,
        groups,
        imports,
        library,
        members,
        messages,
        monitoring,
        notifications,
        onboarding,
        privacy,
        vocabulary,
    )

    vocabulary.register(app)
    imports.register(app)
    failures.register(app)
    members.register(app)
    onboarding.register(app)
    applications.register(app)
    notifications.register(app)
    privacy.register(app)
    groups.register(app)
    forums.register(app)
    awards.register(app)
    library.register(app)
    events.register(app)
    messages.register(app)
    monitoring.register(app)


def register_templates(app: Flask) -> None:
    """Names every template may use: permissions as ``can``, the site name."""
    from .auth.permissions import TemplatePermissions

    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_global(layout.main_nav)
    app.add_template_global(links.page_link)

    @app.context_processor
    def template_globals():
        return {
            "can": TemplatePermissions(current_user),
            "stored": markup.stored,
            "site_name": _site_name(app.config["SITE_NAME"]),
            "get_locale": get_locale,
        }


def _site_name(configured: str) -> str:
    """The network's name in the reader's language, unless a deployment named it otherwise."""
    if configured == config.DEFAULTS["SITE_NAME"]:
        return gettext("PCBs Elimination Network")
    return configured


def register_commands(app: Flask) -> None:
    """The ``flask --app pen`` commands."""
    from . import backup, rerender
    from .admin import cli as admin_cli

    worker.register(app)
    search.register(app)
    admin_cli.register(app)
    backup.register(app)
    rerender.register(app)

