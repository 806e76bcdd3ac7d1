"""Creating, changing and removing events and their sessions. Each change audits.

Organisers enter session times on the clocks of the event's time zone; the
service turns them into UTC, refusing a zone that does not exist, a time the
clocks skip, and a session that ends before it starts.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, markup, search
from ..auth.permissions import is_admin
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..groups import registry
from ..groups.models import Group
from ..members.countries import REGIONS
from ..members.service import zone_or_none
from . import permissions
from .models import AUDIENCES, KINDS, REGISTRATION_MODES, Event, EventMaterial, EventSession

MATERIAL_KIND = "document"
DESCRIPTION_MAX = 20_000
MAX_SESSIONS = 60
_SESSION_LINE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})\s*(?:-|\u2013|to)?\s*(\d{4}-\d{2}-\d{2})?[ T]?"
    r"(\d{1,2}:\d{2})$")


@dataclass
class SessionTimes:
    """One session as entered: wall-clock start and end in the event's zone."""

    starts_local: datetime
    ends_local: datetime


@dataclass
class EventFields:
    """What an organiser sets on an event."""

    title: str
    kind: str
    timezone: str
    sessions: list[SessionTimes]
    description: str = ""
    venue: str = ""
    online_url: str = ""
    audience: list[str] = field(default_factory=list)
    audience_note: str = ""
    region: str | None = None
    group_id: int | None = None
    registration: str = "none"
    capacity: int | None = None
    material_ids: list[int] = field(default_factory=list)


def parse_sessions(text: str) -> list[SessionTimes]:
    """Sessions written one per line: ``2011-02-16 14:00 15:00`` (same day) or
    ``2011-02-15 09:00 2011-02-18 17:00``; ValidationError naming the bad line."""
    sessions = []
    for number, line in enumerate((ln.strip() for ln in text.splitlines()), start=1):
        if not line:
            continue
        match = _SESSION_LINE.match(line)
        try:
            day, start, end_day, end = match.groups() if match else (None,) * 4
            sessions.append(SessionTimes(datetime.fromisoformat(f"{day} {start:0>5}"),
                                         datetime.fromisoformat(f"{end_day or day} {end:0>5}")))
        except (TypeError, ValueError):
            raise ValidationError(_("Session %(n)d: give its day, its start and its end "
                                    "(as 2011-02-16 14:00 15:00).", n=number),
                                  "sessions") from None
    return sessions


def sessions_text(event: Event) -> str:
    """An event's sessions in the form's format, on the event's clocks."""
    zone = ZoneInfo(event.timezone)
    lines = []
    for session in event.sessions:
        start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        end_text = f"{end:%H:%M}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M}"
        lines.append(f"{start:%Y-%m-%d %H:%M} {end_text}")
    return "\n".join(lines)


def to_utc(local: datetime, zone: ZoneInfo, zone_name: str) -> datetime:
    """A wall-clock time as a UTC moment; a time the clocks skip is refused."""
    aware = local.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise ValidationError(_("%(time)s does not exist in %(zone)s (the clocks change then).",
                                time=f"{local:%Y-%m-%d %H:%M}", zone=zone_name), "sessions")
    return aware.astimezone(UTC)


def checked_zone(name: str) -> ZoneInfo:
    """The zone of an IANA name; a clear ValidationError for a name that is not one."""
    zone = zone_or_none(name)
    if zone is None:
        raise ValidationError(_("%(name)s is not a time zone; choose one from the list, such "
                                "as Europe/Zurich.", name=name or "—"), "timezone")
    return zone


def _utc_sessions(fields: EventFields) -> list[tuple[datetime, datetime]]:
    """The sessions as sorted UTC ``(start, end)`` pairs, each checked."""
    zone = checked_zone(fields.timezone)
    if not fields.sessions:
        raise ValidationError(_("Give at least one session."), "sessions")
    if len(fields.sessions) > MAX_SESSIONS:
        raise ValidationError(_("At most %(n)d sessions.", n=MAX_SESSIONS), "sessions")
    out = []
    for number, session in enumerate(fields.sessions, start=1):
        start = to_utc(session.starts_local, zone, fields.timezone)
        end = to_utc(session.ends_local, zone, fields.timezone)
        if end <= start:
            raise ValidationError(_("Session %(n)d ends before it starts.", n=number), "sessions")
        out.append((start, end))
    return sorted(out)


def _validate(actor, fields: EventFields) -> list[tuple[datetime, datetime]]:
    """Check every field; the sessions in UTC."""
    if not 3 <= len(fields.title.strip()) <= 200:
        raise ValidationError(_("A title has 3 to 200 characters."), "title")
    checks = [
        ("kind", fields.kind in KINDS, _("Choose a type from the list.")),
        ("audience", set(fields.audience) <= set(AUDIENCES), _("Choose from the list.")),
        ("region", fields.region in (None, *REGIONS), _("Choose a region from the list.")),
        ("registration", fields.registration in REGISTRATION_MODES, _("Choose from the list.")),
        ("capacity", fields.capacity is None or 1 <= fields.capacity <= 100_000,
         _("A capacity is a whole number of places, 1 or more.")),
        ("online_url", not fields.online_url
         or urlparse(fields.online_url).scheme in ("http", "https"),
         _("An online link starts with https://")),
        ("description", len(fields.description) <= DESCRIPTION_MAX,
         _("The description is too long.")),
    ]
    for name, ok, message in checks:
        if not ok:
            raise ValidationError(message, name)
    _check_group(actor, fields.group_id)
    _check_materials(actor, fields)
    return _utc_sessions(fields)


def _check_group(actor, group_id: int | None) -> None:
    """Group events are organised by the group's coordinators (or administrators)."""
    if group_id is None:
        if not is_admin(actor):
            raise ValidationError(_("Choose one of the groups you coordinate."), "group_id")
        return
    if not (is_admin(actor) or group_id in permissions.coordinated_group_ids(actor)):
        raise ValidationError(_("Choose one of the groups you coordinate."), "group_id")


def _check_materials(actor, fields: EventFields) -> None:
    """Every material is a library document ``actor`` may open."""
    pairs = {(MATERIAL_KIND, doc_id) for doc_id in fields.material_ids}
    found = registry.resolve_visible(actor, pairs)
    for doc_id in fields.material_ids:
        if (MATERIAL_KIND, doc_id) not in found:
            raise ValidationError(_("No library document #%(id)d that you can open.",
                                    id=doc_id), "materials")


def _apply(event: Event, fields: EventFields, sessions) -> None:
    """Copy checked fields onto the event; its span follows its sessions."""
    event.title, event.kind, event.timezone = fields.title.strip(), fields.kind, fields.timezone
    event.description = fields.description
    event.description_html = markup.render(fields.description)
    event.venue, event.online_url = fields.venue.strip(), fields.online_url.strip()
    event.audience = " ".join(a for a in AUDIENCES if a in fields.audience)
    event.audience_note, event.region = fields.audience_note.strip(), fields.region
    event.group_id, event.registration = fields.group_id, fields.registration
    event.capacity = fields.capacity
    event.sessions = [EventSession(starts_at=start, ends_at=end) for start, end in sessions]
    event.starts_at, event.ends_at = sessions[0][0], max(end for _start, end in sessions)
    keep = {m.document_id: m for m in event.materials}
    event.materials = [keep.get(d) or EventMaterial(document_id=d)
                       for d in dict.fromkeys(fields.material_ids)]


def create_event(actor, fields: EventFields) -> Event:
    """Add an event; its organiser is ``actor``."""
    if not permissions.can_create_event(actor):
        raise Forbidden(_("Only the Secretariat and group coordinators organise events."))
    sessions = _validate(actor, fields)
    event = Event(organiser_id=actor.id)
    _apply(event, fields, sessions)
    db.session.add(event)
    db.session.flush()
    search.enqueue(permissions.EVENT_KIND, event.id)
    audit.record(actor, "event.create", event, title=event.title)
    db.session.commit()
    return event


def update_event(actor, event: Event, fields: EventFields) -> Event:
    """Change an event (sessions, materials once it has taken place…)."""
    _check_manage(actor, event)
    sessions = _validate(actor, fields)
    _apply(event, fields, sessions)
    search.enqueue(permissions.EVENT_KIND, event.id)
    audit.record(actor, "event.update", event)
    db.session.commit()
    return event


def delete_event(actor, event: Event) -> None:
    """Remove an event with its sessions and registrations."""
    _check_manage(actor, event)
    search.enqueue(permissions.EVENT_KIND, event.id, search.DELETE)
    audit.record(actor, "event.delete", event, title=event.title)
    db.session.delete(event)
    db.session.commit()


def _check_manage(actor, event: Event) -> None:
    """404 if ``actor`` cannot see the event, 403 if they may not change it."""
    if not permissions.can_view_event(actor, event):
        raise NotFound()
    if not permissions.can_manage_event(actor, event):
        raise Forbidden(_("Only the organiser and administrators change an event."))


def get_visible_or_404(user, event_id: int) -> Event:
    """The event, or NotFound when missing or not for ``user``."""
    event = db.session.get(Event, event_id)
    if event is None or not permissions.can_view_event(user, event):
        raise NotFound()
    return event


def get_managed(user, event_id: int) -> Event:
    """The event for its organiser: NotFound if invisible, Forbidden if not theirs."""
    event = get_visible_or_404(user, event_id)
    if not permissions.can_manage_event(user, event):
        raise Forbidden(_("Only the organiser and administrators see this."))
    return event


def materials_of(user, event: Event) -> list[registry.LinkTarget]:
    """The event's library documents that ``user`` may open."""
    pairs = [(MATERIAL_KIND, m.document_id) for m in event.materials]
    found = registry.resolve_visible(user, pairs)
    return [found[pair] for pair in pairs if pair in found]


def organisable_groups(user) -> list:
    """The groups ``user`` may organise events for (all, for administrators)."""
    query = select(Group).order_by(Group.name)
    if not is_admin(user):
        query = query.where(Group.id.in_(sorted(permissions.coordinated_group_ids(user))))
    return list(db.session.scalars(query))
