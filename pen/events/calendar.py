"""The calendar: event sessions and group meetings a member may see, by month or list.

Both are read through one visibility rule each (``permissions.visible_clause``
for events, ``pen.groups.meetings.visible_between`` for meetings), so a group's
events and meetings reach only its members, here as in the .ics feeds.
``upcoming_for`` is what the home dashboard shows.
"""

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from sqlalchemy import select

from ..extensions import db
from ..groups import meetings as group_meetings
from ..groups import permissions as group_permissions
from ..groups.models import Group, Meeting
from ..members.countries import REGIONS
from ..members.service import member_zone
from ..types import utcnow
from . import permissions
from .models import KINDS, MEETING, Event, EventSession

LIST_PAGE_SIZE = 20
UPCOMING_HORIZON = timedelta(days=3 * 365)  # meetings further ahead are not "upcoming"


@dataclass(frozen=True)
class CalendarItem:
    """One entry of the calendar: an event session or a group meeting."""

    title: str
    url: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime | None
    zone: str  # the IANA zone the organiser planned it in
    kind: str
    group_name: str | None = None
    session_label: str = ""


@dataclass(frozen=True)
class Filters:
    """The calendar's filters, checked: unknown values are dropped, not trusted."""

    kind: str | None = None
    region: str | None = None
    group_id: int | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        """Read ``?kind=&region=&group=`` from a request's arguments."""
        kind = args.get("kind") if args.get("kind") in KINDS else None
        region = args.get("region") if args.get("region") in REGIONS else None
        group = args.get("group", "")
        return cls(kind, region, int(group) if group.isdigit() else None)

    def as_args(self) -> dict:
        """The filters as URL arguments."""
        values = {"kind": self.kind, "region": self.region, "group": self.group_id}
        return {key: value for key, value in values.items() if value is not None}


def display_zone(user) -> ZoneInfo:
    """The zone pages show the calendar in: the member's own, else UTC."""
    return member_zone(user) or ZoneInfo("UTC")


def _filtered(query, user, filters: Filters):
    """The query narrowed to what ``user`` sees and to the filters."""
    query = query.where(permissions.visible_clause(user))
    if filters.kind:
        query = query.where(Event.kind == filters.kind)
    if filters.region:
        query = query.where(Event.region == filters.region)
    if filters.group_id is not None:
        query = query.where(Event.group_id == filters.group_id)
    return query


def sessions_between(user, start: datetime, end: datetime, filters: Filters) -> list[CalendarItem]:
    """Event sessions overlapping ``[start, end)`` that ``user`` may see."""
    query = (select(EventSession, Event).join(Event, EventSession.event_id == Event.id)
             .where(EventSession.starts_at < end, EventSession.ends_at > start)
             .order_by(EventSession.starts_at, EventSession.id))
    rows = db.session.execute(_filtered(query, user, filters)).all()
    numbers, totals = _session_numbers({event.id for _session, event in rows})
    return [_session_item(session, event, numbers.get(session.id, 1), totals.get(event.id, 1))
            for session, event in rows]


def _session_numbers(event_ids: set[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Each session's rank within its event (1, 2, …) and each event's number of
    sessions, in one query."""
    if not event_ids:
        return {}, {}
    rows = db.session.execute(select(EventSession.id, EventSession.event_id)
                              .where(EventSession.event_id.in_(sorted(event_ids)))
                              .order_by(EventSession.event_id, EventSession.starts_at,
                                        EventSession.id))
    numbers, seen = {}, {}
    for session_id, event_id in rows:
        seen[event_id] = seen.get(event_id, 0) + 1
        numbers[session_id] = seen[event_id]
    return numbers, seen


def _session_item(session: EventSession, event: Event, number: int, total: int) -> CalendarItem:
    """A session as a calendar entry ("2/4" when the event has several)."""
    label = f"{number}/{total}" if total > 1 else ""
    link = url_for("events.show", event_id=event.id, _external=False)
    return CalendarItem(event.title, link,
                        session.starts_at, session.ends_at, event.timezone, event.kind,
                        session_label=label)


def meetings_between(user, start: datetime, end: datetime, filters: Filters) -> list[CalendarItem]:
    """Group meetings from ``start`` to ``end`` that ``user`` may see, when the filters
    allow meetings (no region filter: meetings belong to groups, not regions)."""
    if filters.kind not in (None, MEETING) or filters.region:
        return []
    found = group_meetings.visible_between(user, start, end)
    if filters.group_id is not None:
        found = [m for m in found if m.group_id == filters.group_id]
    names = _group_names({m.group_id for m in found})
    return [_meeting_item(m, names.get(m.group_id, "")) for m in found]


def _group_names(group_ids: set[int]) -> dict[int, tuple[str, str]]:
    """``{group_id: (name, slug)}`` in one query."""
    if not group_ids:
        return {}
    rows = db.session.execute(select(Group.id, Group.name, Group.slug)
                              .where(Group.id.in_(sorted(group_ids))))
    return {gid: (name, slug) for gid, name, slug in rows}


def _meeting_item(meeting: Meeting, group: tuple[str, str]) -> CalendarItem:
    """A group meeting as a calendar entry (it links to the group's meetings)."""
    name, slug = group or ("", "")
    link = url_for("groups.meeting_list", slug=slug, _external=False)
    return CalendarItem(meeting.title, link,
                        meeting.starts_at, None, meeting.timezone, MEETING, group_name=name)


def items_between(user, start: datetime, end: datetime, filters: Filters) -> list[CalendarItem]:
    """Sessions and meetings together, soonest first."""
    items = sessions_between(user, start, end, filters) + meetings_between(user, start, end,
                                                                          filters)
    return sorted(items, key=lambda item: (item.starts_at, item.title))


@dataclass(frozen=True)
class MonthView:
    """A month as weeks of days, each day with its items (in the display zone)."""

    year: int
    month: int
    weeks: list[list[tuple[date, bool, list[CalendarItem]]]]
    today: date | None = None  # in the display zone: the grid marks it

    @property
    def empty(self) -> bool:
        """No item on any day of the grid."""
        return not any(items for week in self.weeks for _, _, items in week)

    @property
    def previous(self) -> str:
        """``YYYY-MM`` of the month before."""
        return f"{self.year - 1}-12" if self.month == 1 else f"{self.year}-{self.month - 1:02d}"

    @property
    def next(self) -> str:
        """``YYYY-MM`` of the month after."""
        return f"{self.year + 1}-01" if self.month == 12 else f"{self.year}-{self.month + 1:02d}"

    @property
    def first_day(self) -> date:
        """The first day of the month."""
        return date(self.year, self.month, 1)


def parse_month(text: str | None, zone: ZoneInfo) -> tuple[int, int]:
    """``(year, month)`` from ``YYYY-MM``, or the current month in ``zone``."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = utcnow().astimezone(zone)
    return today.year, today.month


def month_view(user, year: int, month: int, filters: Filters) -> MonthView:
    """The month grid, Monday first, with each day's items in the member's zone."""
    zone = display_zone(user)
    days = list(stdlib_calendar.Calendar(firstweekday=0).itermonthdates(year, month))
    start = datetime.combine(days[0], datetime.min.time(), zone).astimezone(UTC)
    end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC)
    by_day: dict[date, list[CalendarItem]] = {}
    for item in items_between(user, start, end, filters):
        by_day.setdefault(item.starts_at.astimezone(zone).date(), []).append(item)
    cells = [(day, day.month == month, by_day.get(day, [])) for day in days]
    return MonthView(year, month, [cells[i:i + 7] for i in range(0, len(cells), 7)],
                     utcnow().astimezone(zone).date())


def list_query(user, filters: Filters, past: bool = False):
    """Events for the list view: upcoming soonest first, or past most recent first."""
    now = utcnow()
    query = _filtered(select(Event), user, filters)
    if past:
        return query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id.desc())
    return query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)


def upcoming_for(user, limit: int = 5) -> list[CalendarItem]:
    """The next sessions and meetings ``user`` may see (for the home dashboard)."""
    now = utcnow()
    query = (select(EventSession, Event).join(Event, EventSession.event_id == Event.id)
             .where(EventSession.ends_at >= now, permissions.visible_clause(user))
             .order_by(EventSession.starts_at, EventSession.id).limit(limit))
    rows = db.session.execute(query).all()
    sessions = [_session_item(s, e, 1, 1) for s, e in rows]
    found = group_meetings.visible_between(user, now, now + UPCOMING_HORIZON)[:limit]
    names = _group_names({m.group_id for m in found})
    meetings = [_meeting_item(m, names.get(m.group_id, ("", ""))) for m in found]
    return sorted(sessions + meetings, key=lambda item: item.starts_at)[:limit]


def group_options(user) -> list[tuple[int, str]]:
    """The groups the calendar may be filtered by: those whose content ``user`` sees."""
    query = (select(Group.id, Group.name).where(group_permissions.group_content_clause(user))
             .order_by(Group.name))
    return [(row[0], row[1]) for row in db.session.execute(query)]


def upcoming_of_group(user, group: Group, limit: int = 5) -> list[Event]:
    """The group's next events (for the group page), if ``user`` sees its content."""
    query = (select(Event).where(Event.group_id == group.id, Event.ends_at >= utcnow(),
                                 permissions.visible_clause(user))
             .order_by(Event.starts_at).limit(limit))
    return list(db.session.scalars(query))
