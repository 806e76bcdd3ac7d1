"""Group meetings: when (with the time zone), where or online, an agenda, minutes.

The minutes are a library document, referenced by id (``minutes_document_id``)
and resolved through the "document" link kind the library registers, so this
lower layer needs no foreign key to a table created after it; a document that
the viewer may not open is simply not named.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, markup, visibility
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..types import utcnow
from . import permissions, registry
from .models import Group, Meeting

MINUTES_KIND = "document"
AGENDA_MAX = 20_000


@dataclass
class MeetingFields:
    """What a coordinator sets on a meeting; ``starts_local`` is in ``timezone``."""

    title: str
    starts_local: datetime
    timezone: str = "UTC"
    place: str = ""
    online_url: str = ""
    agenda: str = ""
    minutes_document_id: int | None = None


def timezone_names() -> list[str]:
    """The IANA time zones, sorted (for the form's choices)."""
    return sorted(available_timezones())


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Choose a time zone from the list."), "timezone") from None


def _validate(actor, group: Group, fields: MeetingFields) -> datetime:
    """Check the fields; the start as an aware UTC datetime."""
    if not 3 <= len(fields.title.strip()) <= 200:
        raise ValidationError(_("A title has 3 to 200 characters."), "title")
    starts = fields.starts_local.replace(tzinfo=_zone(fields.timezone))
    if fields.online_url and urlparse(fields.online_url).scheme not in ("http", "https"):
        raise ValidationError(_("An online link starts with https://"), "online_url")
    if not (fields.place.strip() or fields.online_url):
        raise ValidationError(_("Give a place or an online link."), "place")
    if len(fields.agenda) > AGENDA_MAX:
        raise ValidationError(_("The agenda is too long."), "agenda")
    if fields.minutes_document_id is not None:
        _check_minutes(actor, group, fields.minutes_document_id)
    return starts


def _check_minutes(actor, group: Group, document_id: int) -> None:
    target = registry.resolve_visible(actor, [(MINUTES_KIND, document_id)]).get(
        (MINUTES_KIND, document_id))
    if target is None or target.group_id not in (None, group.id):
        raise ValidationError(_("No library document #%(id)d that you can open belongs to "
                                "this group.", id=document_id), "minutes_document_id")


def _check_manage(actor, group: Group) -> None:
    if not permissions.can_see_group_content(actor, group.id):
        raise NotFound()
    if not permissions.can_manage_group(actor, group):
        raise Forbidden(_("Only the group's coordinators plan meetings."))


def _apply(meeting: Meeting, fields: MeetingFields, starts: datetime) -> None:
    meeting.title, meeting.starts_at, meeting.timezone = fields.title.strip(), starts, \
        fields.timezone
    meeting.place, meeting.online_url = fields.place.strip(), fields.online_url.strip()
    meeting.agenda, meeting.agenda_html = fields.agenda, markup.render(fields.agenda)
    meeting.minutes_document_id = fields.minutes_document_id


def create_meeting(actor, group: Group, fields: MeetingFields) -> Meeting:
    """Plan a meeting of the group."""
    _check_manage(actor, group)
    starts = _validate(actor, group, fields)
    meeting = Meeting(group_id=group.id)
    _apply(meeting, fields, starts)
    db.session.add(meeting)
    db.session.flush()
    audit.record(actor, "group.meeting_create", meeting, group_id=group.id)
    db.session.commit()
    return meeting


def update_meeting(actor, meeting: Meeting, fields: MeetingFields) -> Meeting:
    """Change a meeting (and attach its minutes once written)."""
    _check_manage(actor, meeting.group)
    starts = _validate(actor, meeting.group, fields)
    _apply(meeting, fields, starts)
    audit.record(actor, "group.meeting_update", meeting, group_id=meeting.group_id)
    db.session.commit()
    return meeting


def delete_meeting(actor, meeting: Meeting) -> None:
    """Cancel a meeting."""
    _check_manage(actor, meeting.group)
    audit.record(actor, "group.meeting_delete", meeting, title=meeting.title,
                 group_id=meeting.group_id)
    db.session.delete(meeting)
    db.session.commit()


def get_meeting_or_404(user, group: Group, meeting_id: int) -> Meeting:
    """The group's meeting, or NotFound when missing or not for ``user``."""
    meeting = db.session.get(Meeting, meeting_id)
    if (meeting is None or meeting.group_id != group.id
            or not visibility.rule_for(permissions.MEETING_KIND).can(user, meeting)):
        raise NotFound()
    return meeting


def upcoming(group: Group, limit: int = 5) -> list[Meeting]:
    """The next meetings, soonest first."""
    return list(db.session.scalars(select(Meeting).where(
        Meeting.group_id == group.id, Meeting.starts_at >= utcnow())
        .order_by(Meeting.starts_at).limit(limit)))


def past(group: Group, limit: int = 10) -> list[Meeting]:
    """The latest past meetings, most recent first."""
    return list(db.session.scalars(select(Meeting).where(
        Meeting.group_id == group.id, Meeting.starts_at < utcnow())
        .order_by(Meeting.starts_at.desc()).limit(limit)))


def visible_between(user, start: datetime, end: datetime) -> list[Meeting]:
    """Meetings from ``start`` to ``end`` of the groups whose content ``user`` sees
    (for an events calendar: administrators see every group's), soonest first."""
    query = select(Meeting).where(Meeting.starts_at >= start, Meeting.starts_at < end,
                                  visibility.rule_for(permissions.MEETING_KIND).clause(user))
    return list(db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id)))


def local_start(meeting: Meeting) -> datetime:
    """The start in the meeting's own time zone."""
    return meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))


def minutes_links(user, meetings: list[Meeting]) -> dict[int, registry.LinkTarget]:
    """The minutes ``user`` may open, by meeting id."""
    pairs = {(MINUTES_KIND, m.minutes_document_id) for m in meetings if m.minutes_document_id}
    found = registry.resolve_visible(user, pairs)
    return {m.id: found[(MINUTES_KIND, m.minutes_document_id)] for m in meetings
            if (MINUTES_KIND, m.minutes_document_id) in found}
