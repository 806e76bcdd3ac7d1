"""iCalendar (RFC 5545) files: one event, a member's whole calendar, a group's calendar.

Built with the ``icalendar`` package, which folds lines and escapes text. Each
session is a VEVENT with a stable UID; times are written in UTC so every
calendar program agrees on them, and the organiser's zone is named in the
description. What goes in a feed is what the member may see, by the same rules
as the calendar page.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..groups import meetings as group_meetings
from ..groups.models import Group, Meeting
from ..types import utcnow
from . import permissions
from .forms import KIND_LABELS
from .models import Event, EventSession

if TYPE_CHECKING:  # icalendar is imported where a file is made (3 MB a worker otherwise)
    from icalendar import Calendar
    from icalendar import Event as VEvent

FEED_PAST_DAYS = 365
FEED_FUTURE_DAYS = 3 * 365
MEETING_LENGTH = timedelta(hours=1)  # meetings have no end; calendars need one


def _calendar(name: str) -> Calendar:
    """An empty VCALENDAR with its required properties."""
    from icalendar import Calendar, vText

    cal = Calendar()
    cal.add("prodid", "-//PCBs Elimination Network//PEN platform//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(name))  # an X- property is not escaped unless typed
    return cal


def _uid_host() -> str:
    """The host part of UIDs, stable across requests."""
    return current_app.config.get("SERVER_NAME") or "pen.example"


def _session_vevent(event: Event, session: EventSession, number: int) -> VEvent:
    """One session as a VEVENT (times in UTC)."""
    from icalendar import Event as VEvent

    vevent = VEvent()
    vevent.add("uid", f"event-{event.id}-session-{session.id}@{_uid_host()}")
    vevent.add("dtstamp", utcnow())
    vevent.add("dtstart", session.starts_at)
    vevent.add("dtend", session.ends_at)
    total = len(event.sessions)
    title = event.title if total == 1 else f"{event.title} ({number}/{total})"
    vevent.add("summary", title)
    link = url_for("events.show", event_id=event.id, _external=True)
    vevent.add("url", link)
    kind = KIND_LABELS.get(event.kind, event.kind)
    vevent.add("description", _("%(kind)s, planned in %(zone)s. %(link)s", kind=kind,
                                zone=event.timezone, link=link))
    location = event.venue or event.online_url
    if location:
        vevent.add("location", location)
    vevent.add("categories", [event.kind])
    return vevent


def _meeting_vevent(meeting: Meeting, group_name: str, slug: str) -> VEvent:
    """A group meeting as a one-hour VEVENT."""
    from icalendar import Event as VEvent

    vevent = VEvent()
    vevent.add("uid", f"group-meeting-{meeting.id}@{_uid_host()}")
    vevent.add("dtstamp", utcnow())
    vevent.add("dtstart", meeting.starts_at)
    vevent.add("dtend", meeting.starts_at + MEETING_LENGTH)
    vevent.add("summary", f"{meeting.title} ({group_name})")
    link = url_for("groups.meeting_list", slug=slug, _external=True)
    vevent.add("url", link)
    vevent.add("description", _("Meeting of %(group)s, planned in %(zone)s. %(link)s",
                                group=group_name, zone=meeting.timezone, link=link))
    if meeting.place or meeting.online_url:
        vevent.add("location", meeting.place or meeting.online_url)
    vevent.add("categories", ["meeting"])
    return vevent


def _add_event(cal: Calendar, event: Event) -> None:
    """Every session of ``event``."""
    for number, session in enumerate(event.sessions, start=1):
        cal.add_component(_session_vevent(event, session, number))


def event_ics(event: Event) -> bytes:
    """One event (every session) as an .ics file."""
    cal = _calendar(event.title)
    _add_event(cal, event)
    return cal.to_ical()


def _window() -> tuple[datetime, datetime]:
    """The span a feed covers: a year back, three years ahead."""
    now = utcnow()
    return now - timedelta(days=FEED_PAST_DAYS), now + timedelta(days=FEED_FUTURE_DAYS)


def _events(user, start: datetime, end: datetime, group_id: int | None = None) -> list[Event]:
    """The events overlapping the window that ``user`` sees (of one group, if given)."""
    query = select(Event).where(Event.ends_at >= start, Event.starts_at < end,
                                permissions.visible_clause(user))
    if group_id is not None:
        query = query.where(Event.group_id == group_id)
    return list(db.session.scalars(query.order_by(Event.starts_at, Event.id)))


def _add_meetings(cal: Calendar, meetings: list[Meeting]) -> None:
    """The meetings, named with their group."""
    groups = {g.id: g for g in db.session.scalars(
        select(Group).where(Group.id.in_(sorted({m.group_id for m in meetings}))))}
    for meeting in meetings:
        group = groups[meeting.group_id]
        cal.add_component(_meeting_vevent(meeting, group.name, group.slug))


def member_feed(user) -> bytes:
    """Every event and group meeting ``user`` may see, a year back and three ahead."""
    start, end = _window()
    cal = _calendar(_("PEN events"))
    for event in _events(user, start, end):
        _add_event(cal, event)
    _add_meetings(cal, group_meetings.visible_between(user, start, end))
    return cal.to_ical()


def group_feed(user, group: Group) -> bytes:
    """A group's events and meetings (the caller has checked ``user`` sees its content)."""
    start, end = _window()
    cal = _calendar(_("PEN: %(group)s", group=group.name))
    for event in _events(user, start, end, group.id):
        _add_event(cal, event)
    meetings = [m for m in group_meetings.visible_between(user, start, end)
                if m.group_id == group.id]
    _add_meetings(cal, meetings)
    return cal.to_ical()
