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


def can_import_members(user) -> bool:
    """Who may import the contact list on the web and see what failed."""
    return is_admin(user)


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


# --- The member database -------------------------------------------------------
# Profiles are duck-typed (``profile.user``, ``profile.user_id``): identity-layer
# modules above auth own the models; the rules stay here, in one place.

_shared_group_check = None


def set_shared_group_check(check) -> None:
    """Let the groups area answer "do these two members share a thematic group?"."""
    global _shared_group_check
    _shared_group_check = check


def shares_group(viewer, other_user_id: int) -> bool:
    """True when ``viewer`` and the other member belong to a common thematic group."""
    return bool(_shared_group_check and _shared_group_check(viewer.id, other_user_id))


def can_view_profile(viewer, profile) -> bool:
    """Active members' profiles are open to members; others only to admins and themselves."""
    if not is_member(viewer):
        return False
    return (profile.user.status == UserStatus.ACTIVE or is_admin(viewer)
            or viewer.id == profile.user_id)


def can_edit_profile(viewer, profile) -> bool:
    """Members edit their own profile; admins edit anyone's."""
    return is_member(viewer) and (viewer.id == profile.user_id or is_admin(viewer))


def can_see_contact(viewer, profile, field: str) -> bool:
    """Whether ``viewer`` may see a contact field ("email", "phone") of ``profile``."""
    if not can_view_profile(viewer, profile):
        return False
    if viewer.id == profile.user_id or is_admin(viewer):
        return True
    visibility = getattr(profile, f"{field}_visibility")
    if visibility == "members":
        return True
    return visibility == "groups" and shares_group(viewer, profile.user_id)


def can_export_members(user) -> bool:
    """Exporting the directory as CSV is for administrators."""
    return is_admin(user)


def can_edit_vocabulary(user) -> bool:
    """Administrators keep the expertise vocabulary."""
    return is_admin(user)


PREDICATES.update({
    "view_profile": can_view_profile,
    "edit_profile": can_edit_profile,
    "see_contact": can_see_contact,
    "export_members": can_export_members,
    "edit_vocabulary": can_edit_vocabulary,
})
