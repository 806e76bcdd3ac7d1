"""Members' own data: the privacy notice administrators edit, linked from every page."""

from flask import Flask


def register(app: Flask) -> None:
    """The blueprint of the privacy pages; the export's own sections; the worker's task."""
    _register_stored(app)
    from .. import worker
    from ..auth.signals import signed_in
    from . import closing, exports, sections
    from .views import bp

    app.register_blueprint(bp)
    for name, collect in sections.SECTIONS.items():
        exports.register_section(app, name, collect)
    worker.register_task(app, "data exports", exports.prepare)
    worker.register_task(app, "account erasure", closing.erase_due)
    signed_in.connect(closing.cancel_on_sign_in)


def _register_stored(app: Flask) -> None:
    """The Markdown this area stores rendered, for ``markup rerender``."""
    from .. import rerender
    from .models import PrivacyNotice

    rerender.register_stored(app, "privacy notice", PrivacyNotice, "body", "body_html")
