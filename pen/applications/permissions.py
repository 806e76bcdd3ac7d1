"""Who reviews applications: administrators, and the roles ``APPLICATION_REVIEWER_ROLES`` names.

An application is personal data of someone who is not (yet) a member: nobody
else sees it at all, so every page of the queue answers 404 to them (see
``views``), as if it did not exist.
"""

from flask import current_app

from ..auth import permissions
from ..auth.permissions import is_admin, is_member


def can_review_applications(user) -> bool:
    """Administrators, and active members holding a role given the right in the settings."""
    if not is_member(user):
        return False
    roles = set(current_app.config.get("APPLICATION_REVIEWER_ROLES") or ())
    return is_admin(user) or bool(roles & user.role_names)


def register_predicates(app) -> None:
    """Templates ask ``can.review_applications()``."""
    permissions.register_predicate(app, "review_applications", can_review_applications)
