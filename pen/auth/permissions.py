"""Named permission predicates: the one place that says who may do what.

Services, views and templates all ask these (templates through the ``can``
namespace). Deny by default: every predicate is False for anonymous, invited
and suspended users. Areas add their own predicates next to their objects'
visibility rules, built from these, and register them on the app
(``register_predicate(app, name, check)``) for templates.
"""

from flask import current_app

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


def can_import_members(user) -> bool:
    """Who may import the contact list on the web and see what failed."""
    return is_admin(user)


def can_view_audit_log(user) -> bool:
    """The audit log is for administrators."""
    return is_admin(user)


_PREDICATES_KEY = "pen.auth.predicates"


class TemplatePermissions:
    """``can.moderate(obj)`` and friends in templates, bound to the current user."""

    def __init__(self, user):
        """The namespace of ``user``'s predicates."""
        self._user = user

    def __getattr__(self, name):
        """The predicate ``name`` of the current app, with the user bound."""
        found = predicate(name)
        if found is None:
            raise AttributeError(name)
        return lambda *args: found(self._user, *args)


PREDICATES = {
    "member": is_member,
    "admin": is_admin,
    "moderate": can_moderate,
    "committee": is_committee,
    "manage_users": can_manage_users,
    "change_user": can_change_user,
    "view_audit_log": can_view_audit_log,
}


def register_predicate(app, name: str, check) -> None:
    """Let an area expose its own predicate to templates of ``app`` as ``can.<name>``."""
    app.extensions.setdefault(_PREDICATES_KEY, {})[name] = check


def predicate(name: str, default=None):
    """The predicate ``name`` of the current app (an area's, else auth's own), or
    ``default``."""
    registered = current_app.extensions.get(_PREDICATES_KEY, {})
    return registered.get(name) or PREDICATES.get(name) or default
