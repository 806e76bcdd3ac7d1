"""Showing event times: in the event's own zone and on the member's clock."""

from datetime import datetime

from .. import i18n
from ..members.service import member_zone


def fmt(moment: datetime, zone_name: str) -> str:
    """A moment on the clocks of ``zone_name``, weekday named, in the reader's language."""
    return i18n.format_moment(moment, zone_name, "full")


def fmt_range(start: datetime, end: datetime | None, zone_name: str) -> str:
    """A session's span on one clock; the end's date only when it differs."""
    return i18n.format_moment_range(start, end, zone_name)


def clock(moment: datetime, zone_name: str) -> str:
    """The time of day of a moment on the clocks of ``zone_name``: "14:00"."""
    return i18n.format_clock(moment, zone_name)


def for_member(user, start: datetime, end: datetime | None, event_zone: str) -> str | None:
    """The span on the member's own clock, or None when it is the event's zone or unknown."""
    zone = member_zone(user)
    if zone is None or zone.key == event_zone:
        return None
    return fmt_range(start, end, zone.key)
