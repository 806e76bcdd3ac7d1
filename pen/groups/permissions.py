"""Who may see and do what in thematic groups: the named predicates.

``member_group_ids`` is THE membership lookup every content area builds its
visibility rule on (a group's topics and documents are for its members).
Administrators, who create groups and appoint coordinators, see every group and
its contents (``sees_all_groups``). ``in_group(column)`` is that condition as a
``pen.visibility`` node, for any column naming a group; the groups' own kinds
(the content of a group, its work plan, its meetings, who joined it) are rules
built on it and registered on the app (``register_rules``). Lookups are cached for the length of one
request (never in commands or the worker, whose app context may live for
hours); the service clears the cache when memberships change.
"""

from typing import NamedTuple

from flask import g, has_app_context, has_request_context
from sqlalchemy import String, cast, func, select

from .. import visibility
from ..auth import loading
from ..auth.loading import MISSING
from ..auth.permissions import is_admin, is_member, register_predicate
from ..extensions import db
from ..visibility import AnyOf, In, Is, Rule, UserIs
from .models import (
    COORDINATOR,
    LISTED,
    OPEN,
    PENDING,
    REQUEST,
    Activity,
    Group,
    GroupInvitation,
    GroupMembership,
    Meeting,
)


def _roles_by_group(user) -> dict[int, str]:
    """``{group_id: role}`` of ``user``'s memberships, once per request."""
    if not has_request_context():
        return _load_roles(user.id)
    cache = g.setdefault("_group_roles", {})
    if user.id not in cache and (loaded := loading.rider(ROLES_RIDER, user)) is not MISSING:
        cache[user.id] = _parse_roles(loaded)
    if user.id not in cache:
        cache[user.id] = _load_roles(user.id)
    return cache[user.id]


ROLES_RIDER = "groups.roles"


def roles_column(user_id):
    """``"<group id>:<role>,…"`` of ``user_id``'s memberships, read with the session."""
    pair = cast(GroupMembership.group_id, String) + ":" + GroupMembership.role
    return (select(func.aggregate_strings(pair, ","))
            .where(GroupMembership.user_id == user_id).scalar_subquery())


def _parse_roles(value: str | None) -> dict[int, str]:
    """``{group_id: role}`` from ``roles_column``'s text (None: no membership)."""
    pairs = (item.partition(":") for item in (value or "").split(",") if item)
    return {int(group_id): role for group_id, _sep, role in pairs}


def _load_roles(user_id: int) -> dict[int, str]:
    rows = db.session.execute(select(GroupMembership.group_id, GroupMembership.role)
                              .where(GroupMembership.user_id == user_id))
    return dict(rows.all())


def forget_memberships() -> None:
    """Drop the cached lookups (called by the service after any membership change)."""
    if has_app_context():
        g.pop("_group_roles", None)
        loading.forget(ROLES_RIDER)


def member_group_ids(user) -> set[int]:
    """The ids of the groups ``user`` belongs to (empty for anyone not an active member)."""
    if not is_member(user):
        return set()
    return set(_roles_by_group(user))


def is_group_member(user, group_id: int | None) -> bool:
    """Whether ``user`` is an active member of the group ``group_id``."""
    return group_id is not None and group_id in member_group_ids(user)


def is_coordinator(user, group_id: int) -> bool:
    """Whether ``user`` coordinates the group ``group_id``."""
    return is_member(user) and _roles_by_group(user).get(group_id) == COORDINATOR


def sees_all_groups(user) -> bool:
    """Administrators see every group and its contents (they oversee the network)."""
    return is_admin(user)


def in_group(column):
    """THE condition of a group's content: administrators see every group's
    (``sees_all_groups``), members their groups' (``column`` names the group)."""
    return AnyOf(UserIs("allgroups", sees_all_groups), In("group", column, member_group_ids))


MEMBER = UserIs("member", is_member)
GROUP_KIND, CONTENT_KIND, PLAN_KIND, MEETING_KIND, JOIN_KIND = (
    "group", "group_content", "group_activity", "group_meeting", "group_join")
# The group itself (name, description, picture): listed groups are every member's; an
# unlisted one is seen where its content is (plus pending invitations: ``can_view_group``).
GROUP_RULE = Rule(GROUP_KIND, Group, MEMBER,
                  AnyOf(Is("listed", Group.visibility, LISTED), in_group(Group.id)))
CONTENT_RULE = Rule(CONTENT_KIND, Group, MEMBER, in_group(Group.id))
PLAN_RULE = Rule(PLAN_KIND, Activity, MEMBER, in_group(Activity.group_id))
MEETING_RULE = Rule(MEETING_KIND, Meeting, MEMBER, in_group(Meeting.group_id))
JOIN_RULE = Rule(JOIN_KIND, GroupMembership, MEMBER, in_group(GroupMembership.group_id))


def register_rules(app) -> None:
    """Register the groups' visibility rules on ``app``."""
    for rule in (GROUP_RULE, CONTENT_RULE, PLAN_RULE, MEETING_RULE, JOIN_RULE):
        visibility.register_rule(app, rule.kind, rule)


class _GroupRef(NamedTuple):
    """A group known by its id: all the content rule reads of a group."""

    id: int


def can_see_group_content(user, group_id: int | None) -> bool:
    """Whether ``user`` sees the content of the group ``group_id`` (the registered
    "group_content" rule); content outside any group (None) is every member's."""
    if group_id is None:
        return is_member(user)
    return visibility.rule_for(CONTENT_KIND).can(user, _GroupRef(group_id))


def group_clause(user):
    """The registered "group" rule as SQL on ``Group``: the groups ``user`` sees listed."""
    return visibility.rule_for(GROUP_KIND).clause(user)


def group_content_clause(user):
    """The registered "group_content" rule as SQL on ``Group``: the groups whose
    content ``user`` sees."""
    return visibility.rule_for(CONTENT_KIND).clause(user)


def _has_pending_invitation(user, group) -> bool:
    return db.session.scalar(select(GroupInvitation.id).where(
        GroupInvitation.group_id == group.id, GroupInvitation.user_id == user.id,
        GroupInvitation.status == PENDING)) is not None


def can_view_group(user, group) -> bool:
    """Listed groups are seen by every member; unlisted ones by their members, the
    members invited to them and administrators."""
    if visibility.rule_for(GROUP_KIND).can(user, group):
        return True
    return is_member(user) and _has_pending_invitation(user, group)


def can_manage_group(user, group) -> bool:
    """Coordinators and administrators manage members, work plan and meetings."""
    return is_admin(user) or is_coordinator(user, group.id)


def can_create_group(user) -> bool:
    """Administrators create groups and appoint their first coordinators."""
    return is_admin(user)


def can_join(user, group) -> bool:
    """Open groups are joined with a click by members who see them."""
    return (group.join_policy == OPEN and can_view_group(user, group)
            and not is_group_member(user, group.id))


def can_request_to_join(user, group) -> bool:
    """Groups "by request" take requests from members who see them."""
    return (group.join_policy == REQUEST and can_view_group(user, group)
            and not is_group_member(user, group.id))


def can_leave(user, group) -> bool:
    """Members leave when they like (the last coordinator names a successor first)."""
    return is_group_member(user, group.id)


def can_post_in_group(user, group_id: int | None) -> bool:
    """Writing in a group's forum or shelf is for its members (and administrators)."""
    return is_member(user) and can_see_group_content(user, group_id)


def shares_group(user_id: int, other_user_id: int) -> bool:
    """Whether two members belong to a common group (contact fields shown "to my groups")."""
    mine = select(GroupMembership.group_id).where(GroupMembership.user_id == user_id)
    return db.session.scalar(select(GroupMembership.group_id).where(
        GroupMembership.user_id == other_user_id,
        GroupMembership.group_id.in_(mine)).limit(1)) is not None


PREDICATES = {
    "view_group": can_view_group, "manage_group": can_manage_group,
    "create_group": can_create_group, "join_group": can_join,
    "request_to_join": can_request_to_join, "leave_group": can_leave,
    "see_group_content": can_see_group_content, "post_in_group": can_post_in_group,
    "group_member": is_group_member,
}


def register_predicates(app) -> None:
    """Expose the predicates to templates as ``can.view_group(group)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(app, name, predicate)


def coordinator_ids(group_id: int) -> set[int]:
    """The ids of the group's coordinators."""
    return set(db.session.scalars(select(GroupMembership.user_id).where(
        GroupMembership.group_id == group_id, GroupMembership.role == COORDINATOR)))
