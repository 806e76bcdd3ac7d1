"""The document library: works, language editions, versions, extraction, full-text search.

Settings (``PEN_`` environment variables or ``instance/config.py``):
``LIBRARY_MAX_MB`` (largest file), ``LIBRARY_EXTRACT_TIMEOUT`` (seconds),
``LIBRARY_EXTRACT_MEMORY_MB`` (address space of the extraction process),
``LIBRARY_EXTRACT_BATCH`` (files extracted per worker pass).
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from .. import failures, groups, imports, metrics, notifications, search, worker

DEFAULTS = {
    "LIBRARY_MAX_MB": 25,
    "LIBRARY_EXTRACT_TIMEOUT": 60.0,
    "LIBRARY_EXTRACT_MEMORY_MB": 1024,
    "LIBRARY_EXTRACT_BATCH": 4,
}


def register(app: Flask) -> None:
    """Visibility rules, blueprint, search adapter, extraction task, notification target,
    group hooks, CLI."""
    _register_stored(app)
    from . import (  # noqa: F401  (*_views: routes of the library blueprint)
        activity,
        bulk,
        cli,
        extraction,
        figures,
        indexing,
        magazine,
        magazine_views,
        permissions,
        picker,
        picker_views,
        profile_activity,
        shelf,
        unreadable,
    )
    from .views import bp

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.register_blueprint(bp)
    search.register_adapter(app, indexing.DocumentAdapter())
    worker.register_task(app, "library", extraction.run_pending)
    metrics.register_figures(app, figures.extraction_figures)
    permissions.register_rules(app)
    activity.register(app)
    notifications.register_target(app, extraction.TARGET,
                                  notifications.RuleTarget(permissions.DOCUMENT_KIND))
    notifications.register_kind(app, magazine.KIND, _l("New issue of the PEN magazine"))
    permissions.register_predicates(app)
    profile_activity.register(app)
    groups.register_section(app, "library", shelf.group_section, order=40)
    groups.register_link_kind(app, "document", shelf.resolve_links, label="Document")
    groups.register_picker(app, picker.PICKER)
    cli.register(app)
    imports.register_kind(app, bulk.KIND)
    failures.register_section(app, unreadable.SECTION)
    _register_my_data(app)


def _register_my_data(app: Flask) -> None:
    """The files a member uploaded go in "download my data"."""
    from ..privacy import exports
    from . import mydata

    exports.register_section(app, "library_uploads", mydata.uploads)
    exports.register_section(app, "magazine", mydata.magazine_choices)


def _register_stored(app: Flask) -> None:
    """The Markdown this area stores rendered, for ``markup rerender``."""
    from .. import rerender
    from .models import Document

    rerender.register_stored(app, "library documents", Document, "description",
                             "description_html")
