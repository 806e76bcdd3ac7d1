"""Feed sources the home page still defines itself: members, group news, awards.

The forums and the library contribute their own sources (``pen.activity``), each
filtered by its registered visibility rule. These three areas do not yet, so
their news is selected here; the group filter below restates
``groups.permissions.can_see_group_content`` in SQL, until the groups area has a
visibility rule and sources of its own (see docs/architecture.md).
"""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import literal_column, select, true

from .. import activity
from ..activity import Branch, Query, Source, no_int, row, someone
from ..auth.models import User, UserStatus
from ..awards.models import AwardCycle
from ..groups.models import Activity, GroupMembership, Meeting
from ..groups.permissions import member_group_ids, sees_all_groups


def _group_filter(group_column, user, query: Query):
    """Group content: only the member's groups (all of them for administrators)."""
    mine = sorted(member_group_ids(user))
    if query.scope == "mine":
        return group_column.in_(mine)
    return true() if sees_all_groups(user) else group_column.in_(mine)


def _members(user, query: Query) -> Branch:
    """Active accounts, when they joined (were created active or accepted their invitation)."""
    return Branch(select(*row(MEMBERS, User.activated_at, User.id, User.display_name, no_int(),
                              User.id, User.id, no_int()))
                  .where(User.status == UserStatus.ACTIVE, User.activated_at.is_not(None)),
                  User.activated_at, User.id)


def _group_joins(user, query: Query) -> Branch:
    """Members joining the groups whose news the member may see."""
    m = GroupMembership
    return Branch(select(*row(GROUP_JOINS, m.joined_at, m.group_id, literal_column("''"),
                              m.group_id, m.user_id, m.group_id, no_int(), b=m.user_id))
                  .where(_group_filter(m.group_id, user, query)),
                  m.joined_at, m.group_id, m.user_id)


def _meetings(user, query: Query) -> Branch:
    """Meetings planned in the groups whose news the member may see."""
    return Branch(select(*row(MEETINGS, Meeting.created_at, Meeting.id, Meeting.title,
                              Meeting.group_id, no_int(), Meeting.id, no_int()))
                  .where(_group_filter(Meeting.group_id, user, query)),
                  Meeting.created_at, Meeting.id)


def _plan(user, query: Query) -> Branch:
    """Work-plan items added in the groups whose news the member may see."""
    return Branch(select(*row(PLAN, Activity.created_at, Activity.id, Activity.title,
                              Activity.group_id, no_int(), Activity.id, no_int()))
                  .where(_group_filter(Activity.group_id, user, query)),
                  Activity.created_at, Activity.id)


def _awards(user, query: Query) -> Branch:
    """Announced cycles only: results are news once published, never before."""
    return Branch(select(*row(AWARDS, AwardCycle.announced_at, AwardCycle.id, AwardCycle.name,
                              no_int(), no_int(), AwardCycle.id, no_int()))
                  .where(AwardCycle.announced_at.is_not(None)),
                  AwardCycle.announced_at, AwardCycle.id)


def _describe_member(item) -> tuple[str, str]:
    """A member who joined the network: their profile."""
    return _("Joined the network"), url_for("members.profile", user_id=item.ref)


def _describe_group_join(item) -> tuple[str, str]:
    """A member who joined a group: the group."""
    return (_("%(name)s joined the group", name=someone(item)),
            url_for("groups.show", slug=item.group_slug))


def _describe_meeting(item) -> tuple[str, str]:
    """A meeting planned: the group's meetings."""
    return _("Meeting planned"), url_for("groups.meeting_list", slug=item.group_slug)


def _describe_plan(item) -> tuple[str, str]:
    """A work-plan item added: the group's plan."""
    return _("Added to the work plan"), url_for("groups.plan", slug=item.group_slug)


def _describe_award(item) -> tuple[str, str]:
    """Award winners announced: the winners page."""
    return _("Winners announced"), url_for("awards.winners", cycle_id=item.ref)


MEMBERS = Source("member", "members", 4, _members, _describe_member, groupless=True)
GROUP_JOINS = Source("group_join", "groups", 5, _group_joins, _describe_group_join)
MEETINGS = Source("meeting", "groups", 6, _meetings, _describe_meeting)
PLAN = Source("plan", "groups", 7, _plan, _describe_plan)
AWARDS = Source("award", "awards", 8, _awards, _describe_award, groupless=True)


def register(app) -> None:
    """Add these sources to the feed (from ``pen.home.register``)."""
    for source in (MEMBERS, GROUP_JOINS, MEETINGS, PLAN, AWARDS):
        activity.register_source(app, source)
