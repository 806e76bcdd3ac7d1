"""Who may see and change member profiles: the "member_profile" rule and the predicates.

A profile is seen with its account: active members' profiles are open to every
member, invited and suspended accounts' only to administrators (``PROFILE_RULE``,
on ``User``, registered as "member_profile"). The profile page, the directory,
its charts, the CSV export and the member search ask the registered rule.

Contact fields can be shown "to my groups": whether two members share a thematic
group is answered by the groups area, a higher layer, which registers the check
on the app (``register_shared_group_check``).
"""

from flask import current_app

from .. import visibility
from ..auth.models import User, UserStatus
from ..auth.permissions import is_admin, is_member, register_predicate
from ..visibility import AnyOf, Is, Rule, UserIs

PROFILE_KIND = "member_profile"
_SHARED_GROUP_KEY = "pen.members.shared_group_check"

ACTIVE = Is("active", User.status, UserStatus.ACTIVE)
PROFILE_RULE = Rule(
    PROFILE_KIND, User,
    UserIs("member", is_member),
    AnyOf(ACTIVE, UserIs("admin", is_admin)),  # an active member's profile, or any for admins
)


def register_rules(app) -> None:
    """Register the profile rule on ``app``."""
    visibility.register_rule(app, PROFILE_KIND, PROFILE_RULE)


def visible_profile_clause(viewer):
    """The registered rule as SQL on ``User`` (join profiles to their accounts)."""
    return visibility.rule_for(PROFILE_KIND).clause(viewer)


def active_account_clause():
    """Accounts in use, whoever asks (news of who joined names only those)."""
    return ACTIVE.where(None)


def can_view_profile(viewer, profile) -> bool:
    """Whether ``viewer`` may open ``profile``: the registered rule, on its account."""
    return visibility.rule_for(PROFILE_KIND).can(viewer, profile.user)


def can_edit_profile(viewer, profile) -> bool:
    """Members edit their own profile; admins edit anyone's."""
    return is_member(viewer) and (viewer.id == profile.user_id or is_admin(viewer))


def register_shared_group_check(app, check) -> None:
    """Let the groups area answer "do these two members share a thematic group?"."""
    app.extensions[_SHARED_GROUP_KEY] = check


def shares_group(viewer, other_user_id: int) -> bool:
    """True when ``viewer`` and the other member belong to a common thematic group."""
    check = current_app.extensions.get(_SHARED_GROUP_KEY)
    return bool(check and check(viewer.id, other_user_id))


def can_see_contact(viewer, profile, field: str) -> bool:
    """Whether ``viewer`` may see a contact field ("email", "phone") of ``profile``."""
    if not can_view_profile(viewer, profile):
        return False
    if viewer.id == profile.user_id or is_admin(viewer):
        return True
    shown_to = getattr(profile, f"{field}_visibility")
    if shown_to == "members":
        return True
    return shown_to == "groups" and shares_group(viewer, profile.user_id)


def can_export_members(user) -> bool:
    """Exporting the directory as CSV is for administrators."""
    return is_admin(user)


def can_edit_vocabulary(user) -> bool:
    """Administrators keep the expertise vocabulary."""
    return is_admin(user)


PREDICATES = {
    "view_profile": can_view_profile,
    "edit_profile": can_edit_profile,
    "see_contact": can_see_contact,
    "export_members": can_export_members,
    "edit_vocabulary": can_edit_vocabulary,
}


def register_predicates(app) -> None:
    """Expose the predicates to templates as ``can.see_contact(profile, "email")``…"""
    for name, check in PREDICATES.items():
        register_predicate(app, name, check)
