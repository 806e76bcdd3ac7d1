"""What groups plug into lower layers: profiles, the directory, the welcome checklist,
the groups an applicant to the network may name."""

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..applications import GroupSource, register_group_source
from ..auth.signals import account_erased
from ..extensions import db
from ..members import directory
from ..members import views as member_views
from ..onboarding import checklist
from . import membership, permissions, service
from .models import (
    INVITATION,
    LISTED,
    ActivityOwner,
    Group,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
)


def profile_groups(viewer, profile):
    """The "Thematic groups" panel of a profile: the member's groups ``viewer`` may see."""
    groups = service.public_groups_of(viewer, profile.user_id)
    return (_l("Thematic groups"),
            [(g.name, url_for("groups.show", slug=g.slug)) for g in groups])


def directory_options(viewer) -> list[tuple[str, str]]:
    """The groups the directory may be filtered by: those ``viewer`` sees (the groups'
    list of ``service.list_query``, two columns selected directly)."""
    if not permissions.is_member(viewer):
        return []
    rows = db.session.execute(select(Group.id, Group.name).where(
        permissions.group_clause(viewer)).order_by(Group.name, Group.id))
    return [(str(group_id), name) for group_id, name in rows]


def directory_member_ids(viewer, value: str):
    """The members of group ``value``, or None when it is no group ``viewer`` sees."""
    group = db.session.get(Group, int(value)) if value.isdigit() else None
    if group is None or not permissions.can_view_group(viewer, group):
        return None
    return select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)


def has_joined_a_group(user) -> bool:
    """The welcome checklist's "join a thematic group" step."""
    return bool(permissions.member_group_ids(user))


def applicant_choices() -> list[tuple[int, str]]:
    """The groups someone applying to join may name: listed ones that take members."""
    return list(db.session.execute(select(Group.id, Group.name).where(
        Group.visibility == LISTED, Group.join_policy != INVITATION).order_by(Group.name)))


def forget_memberships_of(user, **_ignored) -> None:
    """``account_erased``: a former member belongs to no group, asks and is asked nothing,
    and owns no work-plan activity (who worked with whom is personal)."""
    for model in (GroupMembership, JoinRequest, GroupInvitation, ActivityOwner):
        db.session.execute(delete(model).where(model.user_id == user.id))
    permissions.forget_memberships()


def register(app: Flask) -> None:
    """Install the hooks (each registry ignores a second registration)."""
    account_erased.connect(forget_memberships_of)
    member_views.register_profile_section(app, profile_groups)
    directory.register_list_filter(app, directory.ListFilter(
        "group", _l("Thematic group"), directory_options, directory_member_ids))
    checklist.register_done_check(app, "group", has_joined_a_group)
    register_group_source(app, GroupSource(applicant_choices, membership.request_for_applicant))
