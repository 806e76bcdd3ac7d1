"""The PEN Awards: award cycles, nominations, Advisory Committee review, decisions."""

from flask import Flask


def register(app: Flask) -> None:
    """Blueprint and its routes (members', committee's, administrators'), visibility
    rules, feed source, predicates."""
    from . import activity, admin_views, permissions, review_views  # noqa: F401
    from .views import bp

    app.register_blueprint(bp)
    permissions.register_rules(app)
    activity.register(app)
    permissions.register_predicates(app)
    _register_my_data(app)


def _register_my_data(app: Flask) -> None:
    """The nominations a member wrote go in "download my data"."""
    from ..privacy import exports
    from . import mydata

    exports.register_section(app, "nominations", mydata.nominations)
