"""Named permission predicates: the one place that says who may do what.

Services, views and templates all ask these (templates through the ``can``
namespace). Deny by default: every predicate is False for anonymous, invited
and suspended users. Areas add their own predicates next to their objects'
visibility rules, built from these.
"""

from .models import RoleName, UserStatus


def is_member(user) -> bool:
    """A logged-in, active account."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "status", None) == UserStatus.ACTIVE
    )


def has_role(user, role: str) -> bool:
    """An active member holding ``role``."""
    return is_member(user) and role in user.role_names


def is_admin(user) -> bool:
    """Secretariat administrators."""
    return has_role(user, RoleName.ADMIN)


def can_moderate(user, obj=None) -> bool:
    """Moderators and admins moderate discussions (``obj`` narrows it in areas that need it)."""
    return is_admin(user) or has_role(user, RoleName.MODERATOR)


def is_committee(user) -> bool:
    """Members of the PEN Advisory Committee."""
    return has_role(user, RoleName.COMMITTEE)


def can_manage_users(user) -> bool:
    """Who may change roles and suspend or reactivate accounts."""
    return is_admin(user)


def can_change_user(actor, target) -> bool:
    """Admins may change any account but their own status and roles (no self-lockout)."""
    return can_manage_users(actor) and actor.id != target.id


def can_view_audit_log(user) -> bool:
    """The audit log is for administrators."""
    return is_admin(user)


class TemplatePermissions:
    """``can.moderate(obj)`` and friends in templates, bound to the current user."""

    def __init__(self, user):
        self._user = user

    def __getattr__(self, name):
        predicate = PREDICATES[name]
        return lambda *args: predicate(self._user, *args)


PREDICATES = {
    "member": is_member,
    "admin": is_admin,
    "moderate": can_moderate,
    "committee": is_committee,
    "manage_users": can_manage_users,
    "change_user": can_change_user,
    "view_audit_log": can_view_audit_log,
}


def register_predicate(name: str, predicate) -> None:
    """Let an area expose its own predicate to templates as ``can.<name>``."""
    PREDICATES[name] = predicate
