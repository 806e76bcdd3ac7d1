"""Applying to join PEN, and the Secretariat's queue of applications.

Identity layer, beside onboarding: an approved application becomes an invited
account through the rollout's own invitation code. The thematic groups an
applicant names come from the groups area, which registers them here
(``interests.register_group_source``).

Settings: ``APPLICATION_LIMIT_PER_ADDRESS`` (forms sent per address),
``APPLICATION_MIN_SECONDS`` (faster is refused as a robot's),
``APPLICATION_CONFIRM_HOURS`` and ``APPLICATION_ANSWER_DAYS`` (how long the
links work) and ``APPLICATION_REVIEWER_ROLES`` (roles that review, besides
administrators).
"""

from flask import Flask

from .. import worker
from .interests import GroupSource, register_group_source

__all__ = ["GroupSource", "register", "register_group_source"]


def register(app: Flask) -> None:
    """The public and the reviewers' blueprints, the predicate, the clean-up task."""
    from . import permissions, service
    from .review_views import bp as review_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(review_bp)
    permissions.register_predicates(app)
    worker.register_task(app, "applications", service.purge_unconfirmed)
