"""Showing event times: in the event's own zone and on the member's clock."""

from datetime import datetime
from zoneinfo import ZoneInfo

from ..members.service import member_zone


def fmt(moment: datetime, zone_name: str) -> str:
    """A moment on the clocks of ``zone_name``: "Wed 16 February 2011, 14:00 (Europe/Zurich)"."""
    local = moment.astimezone(ZoneInfo(zone_name))
    return f"{local:%a} {local.day} {local:%B %Y, %H:%M} ({zone_name})"


def fmt_range(start: datetime, end: datetime | None, zone_name: str) -> str:
    """A session's span on one clock; the end's date only when it differs."""
    if end is None:
        return fmt(start, zone_name)
    zone = ZoneInfo(zone_name)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    tail = f"{local_end:%H:%M}" if local_start.date() == local_end.date() else \
        f"{local_end:%a} {local_end.day} {local_end:%B %Y, %H:%M}"
    return (f"{local_start:%a} {local_start.day} {local_start:%B %Y, %H:%M}\u2013{tail} "
            f"({zone_name})")


def clock(moment: datetime, zone_name: str) -> str:
    """The time of day of a moment on the clocks of ``zone_name``: "14:00"."""
    return f"{moment.astimezone(ZoneInfo(zone_name)):%H:%M}"


def for_member(user, start: datetime, end: datetime | None, event_zone: str) -> str | None:
    """The span on the member's own clock, or None when it is the event's zone or unknown."""
    zone = member_zone(user)
    if zone is None or zone.key == event_zone:
        return None
    return fmt_range(start, end, zone.key)
