"""The PEN Awards: award cycles, nominations, Advisory Committee review, decisions."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..vocabulary import Kind, register_kind


def register(app: Flask) -> None:
    """Blueprint and its routes (members', committee's, administrators'), visibility
    rules, feed source, predicates."""
    _register_stored(app)
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


def _register_stored(app: Flask) -> None:
    """The Markdown this area stores rendered, for ``markup rerender``."""
    from .. import rerender
    from .models import AwardCategory, AwardCycle, DiscussionPost, Nomination, Review

    for name, model, source in (
            ("award cycles", AwardCycle, "description"),
            ("award categories", AwardCategory, "description"),
            ("award category eligibility", AwardCategory, "eligibility"),
            ("nominations", Nomination, "statement"),
            ("reviews", Review, "comment"),
            ("award discussions", DiscussionPost, "body")):
        rerender.register_stored(app, name, model, source, f"{source}_html")
