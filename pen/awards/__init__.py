"""The PEN Awards: award cycles, nominations, Advisory Committee review, decisions."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..vocabulary import Kind, register_kind


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
    register_kind(app, Kind("award_category", _l("Award categories"), terms=_award_categories))


def _award_categories() -> list[tuple[str, str]]:
    """Every award category, newest cycle first, in each cycle's order."""
    from ..extensions import db
    from .models import AwardCategory, AwardCycle

    rows = db.session.execute(select(AwardCategory.id, AwardCategory.name).join(AwardCycle)
                              .order_by(AwardCycle.opens_at.desc(), AwardCategory.position))
    return [(str(key), name) for key, name in rows]


def _register_my_data(app: Flask) -> None:
    """The nominations a member wrote go in "download my data"."""
    from ..privacy import exports
    from . import mydata

    exports.register_section(app, "nominations", mydata.nominations)
