"""The work plan: activities with owners, dates, a status and links to what delivers them."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, markup, search
from ..auth.models import User
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..spreadsheet import safe_cell
from . import permissions, registry
from .models import (
    ACTIVITY_STATUSES,
    DONE,
    DROPPED,
    IN_PROGRESS,
    PLANNED,
    Activity,
    ActivityLink,
    Group,
    GroupMembership,
)
from .permissions import PLAN_KIND

STATUS_LABELS = {PLANNED: _l("Planned"), IN_PROGRESS: _l("In progress"), DONE: _l("Done"),
                 DROPPED: _l("Dropped")}
TITLE_MAX, DESCRIPTION_MAX, LINKS_MAX = 200, 20_000, 20
# Library documents are chosen with the document picker (``pickers``), its own field.
DOCUMENT_KIND = "document"


@dataclass
class ActivityFields:
    """What a coordinator sets on an activity; links are ``(kind, id)`` pairs."""

    title: str
    description: str = ""
    status: str = PLANNED
    start_date: date | None = None
    due_date: date | None = None
    owner_ids: list[int] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)


def _validate(actor, group: Group, fields: ActivityFields) -> list[User]:
    """Check the fields; the owners (members of the group) are returned."""
    if not 3 <= len(fields.title.strip()) <= TITLE_MAX:
        raise ValidationError(_("A title has 3 to %(max)d characters.", max=TITLE_MAX), "title")
    if fields.status not in ACTIVITY_STATUSES:
        raise ValidationError(_("Choose one of the options."), "status")
    if fields.start_date and fields.due_date and fields.due_date < fields.start_date:
        raise ValidationError(_("The due date comes before the start date."), "due_date")
    if len(fields.description) > DESCRIPTION_MAX:
        raise ValidationError(_("The description is too long."), "description")
    _check_links(actor, group, fields.links)
    return _owners(group, fields.owner_ids)


def _owners(group: Group, owner_ids: list[int]) -> list[User]:
    """The owners, who must be members of the group."""
    if not owner_ids:
        return []
    users = list(db.session.scalars(select(User).join(
        GroupMembership, GroupMembership.user_id == User.id).where(
        GroupMembership.group_id == group.id, User.id.in_(owner_ids))))
    if len(users) != len(set(owner_ids)):
        raise ValidationError(_("Owners must be members of the group."), "owner_ids")
    return users


def _check_links(actor, group: Group, links: list[tuple[str, int]]) -> None:
    """Each link names something the actor may open, of this group or open to all."""
    if len(links) > LINKS_MAX:
        raise ValidationError(_("At most %(max)d links.", max=LINKS_MAX), "links")
    found = registry.resolve_visible(actor, links)
    for kind, target_id in links:
        target = found.get((kind, target_id))
        if target is not None and target.group_id in (None, group.id):
            continue
        if kind == DOCUMENT_KIND:
            raise ValidationError(_("No library document #%(id)d that you can open belongs to "
                                    "this group.", id=target_id), "documents")
        raise ValidationError(_("No %(kind)s #%(id)d that you can open belongs to this "
                                "group.", kind=kind, id=target_id), "links")


def _check_manage(actor, group: Group) -> None:
    if not permissions.can_see_group_content(actor, group.id):
        raise NotFound()
    if not permissions.can_manage_group(actor, group):
        raise Forbidden(_("Only the group's coordinators change the work plan."))


def _apply(activity: Activity, fields: ActivityFields, owners: list[User]) -> None:
    activity.title, activity.status = fields.title.strip(), fields.status
    activity.description = fields.description
    activity.description_html = markup.render(fields.description)
    activity.start_date, activity.due_date = fields.start_date, fields.due_date
    activity.owners = owners
    wanted = list(dict.fromkeys(fields.links))
    kept = [link for link in activity.links if (link.kind, link.target_id) in wanted]
    have = {(link.kind, link.target_id) for link in kept}
    activity.links = kept + [ActivityLink(kind=k, target_id=i) for k, i in wanted
                             if (k, i) not in have]


def create_activity(actor, group: Group, fields: ActivityFields) -> Activity:
    """Add an activity to the group's work plan."""
    _check_manage(actor, group)
    owners = _validate(actor, group, fields)
    activity = Activity(group_id=group.id)
    _apply(activity, fields, owners)
    db.session.add(activity)
    db.session.flush()
    search.enqueue(PLAN_KIND, activity.id)
    audit.record(actor, "group.activity_create", activity, group_id=group.id)
    db.session.commit()
    return activity


def update_activity(actor, activity: Activity, fields: ActivityFields) -> Activity:
    """Change an activity (its status, dates, owners, links…)."""
    _check_manage(actor, activity.group)
    owners = _validate(actor, activity.group, fields)
    before = activity.status
    _apply(activity, fields, owners)
    search.enqueue(PLAN_KIND, activity.id)
    audit.record(actor, "group.activity_update", activity, status_before=before,
                 status=activity.status)
    db.session.commit()
    return activity


def delete_activity(actor, activity: Activity) -> None:
    """Remove an activity from the plan."""
    _check_manage(actor, activity.group)
    search.enqueue(PLAN_KIND, activity.id, search.DELETE)
    audit.record(actor, "group.activity_delete", activity, title=activity.title,
                 group_id=activity.group_id)
    db.session.delete(activity)
    db.session.commit()


def get_activity_or_404(user, group: Group, activity_id: int) -> Activity:
    """The group's activity, or NotFound when missing or the work plan is not for ``user``."""
    activity = db.session.get(Activity, activity_id)
    if (activity is None or activity.group_id != group.id
            or not permissions.can_see_group_content(user, group.id)):
        raise NotFound()
    return activity


def activities(group: Group) -> list[Activity]:
    """The whole plan, by start date (undated last), then by id."""
    return list(db.session.scalars(select(Activity).where(Activity.group_id == group.id)
                                   .order_by(Activity.start_date.is_(None),
                                             Activity.start_date, Activity.id)))


def visible_links(user, items: list[Activity]) -> dict[int, list[registry.LinkTarget]]:
    """For each activity, the linked objects ``user`` may open (others are not named)."""
    pairs = {(link.kind, link.target_id) for a in items for link in a.links}
    found = registry.resolve_visible(user, pairs)
    return {a.id: [found[(lk.kind, lk.target_id)] for lk in a.links
                   if (lk.kind, lk.target_id) in found] for a in items}


def to_csv(items: list[Activity], today: date) -> str:
    """The plan as CSV (UTF-8 with BOM for spreadsheet programs)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["title", "status", "start_date", "due_date", "overdue", "owners",
                     "description"])
    for item in items:
        writer.writerow([safe_cell(item.title), item.status, item.start_date or "",
                         item.due_date or "", "yes" if item.is_overdue(today) else "",
                         safe_cell("; ".join(u.display_name for u in item.owners)),
                         safe_cell(item.description)])
    return out.getvalue()
