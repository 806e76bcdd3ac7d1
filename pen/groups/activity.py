"""The groups' part of the activity feed: members joining, meetings planned, work-plan items.

Registered with ``pen.activity``; each source is filtered by its registered rule
("group_join", "group_meeting", "group_activity"), narrowed to the member's own
groups under "my groups" (administrators see every group's news otherwise).
"""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import literal_column, select

from .. import activity
from ..visibility import rule_for
from . import permissions
from .models import Activity, GroupMembership, Meeting


def _news_of(kind: str, group_column, user, query: activity.Query):
    """The registered rule of ``kind``, narrowed to the member's groups for "mine"."""
    clause = rule_for(kind).clause(user)
    if query.scope == "mine":
        clause &= group_column.in_(sorted(permissions.member_group_ids(user)))
    return clause


def _joins(user, query: activity.Query) -> activity.Branch:
    """Members joining the groups whose news the member may see."""
    m = GroupMembership
    return activity.Branch(
        select(*activity.row(JOINS, m.joined_at, m.group_id, literal_column("''"), m.group_id,
                             m.user_id, m.group_id, activity.no_int(), b=m.user_id))
        .where(_news_of(permissions.JOIN_KIND, m.group_id, user, query)),
        m.joined_at, m.group_id, m.user_id)


def _meetings(user, query: activity.Query) -> activity.Branch:
    """Meetings planned in the groups whose news the member may see."""
    return activity.Branch(
        select(*activity.row(MEETINGS, Meeting.created_at, Meeting.id, Meeting.title,
                             Meeting.group_id, activity.no_int(), Meeting.id, activity.no_int()))
        .where(_news_of(permissions.MEETING_KIND, Meeting.group_id, user, query)),
        Meeting.created_at, Meeting.id)


def _plan(user, query: activity.Query) -> activity.Branch:
    """Work-plan items added in the groups whose news the member may see."""
    return activity.Branch(
        select(*activity.row(PLAN, Activity.created_at, Activity.id, Activity.title,
                             Activity.group_id, activity.no_int(), Activity.id,
                             activity.no_int()))
        .where(_news_of(permissions.PLAN_KIND, Activity.group_id, user, query)),
        Activity.created_at, Activity.id)


def _describe_join(item, group) -> tuple[Markup, str]:
    """A member who joined a group: the group (always in one)."""
    return (activity.fill(_("%(member)s joined the group %(group)s"),
                          member=activity.someone(item), group=group),
            url_for("groups.show", slug=item.group_slug))


def _describe_meeting(item, group) -> tuple[Markup, str]:
    """A meeting planned: the group's meetings."""
    url = url_for("groups.meeting_list", slug=item.group_slug)
    return activity.fill(_("The group %(group)s plans a meeting: %(meeting)s"), group=group,
                         meeting=activity.link(url, item.title)), url


def _describe_plan(item, group) -> tuple[Markup, str]:
    """A work-plan item added: the group's plan."""
    url = url_for("groups.plan", slug=item.group_slug)
    return activity.fill(_("%(item)s was added to the work plan of the group %(group)s"),
                         item=activity.link(url, item.title), group=group), url


JOINS = activity.Source("group_join", "groups", 5, _joins, _describe_join)
MEETINGS = activity.Source("meeting", "groups", 6, _meetings, _describe_meeting)
PLAN = activity.Source("plan", "groups", 7, _plan, _describe_plan)


def register(app) -> None:
    """Add the groups' sources to the feed."""
    for source in (JOINS, MEETINGS, PLAN):
        activity.register_source(app, source)
