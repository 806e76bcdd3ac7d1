"""Showing event times on the member's own clock, beside the event's."""

from datetime import datetime
from zoneinfo import ZoneInfo

from .. import i18n


def for_member(zone: ZoneInfo | None, start: datetime, end: datetime | None,
               event_zone: str) -> str | None:
    """The span on the member's clock ``zone``, or None when that is the event's zone or
    unknown (the member chose none): the event's own times are shown anyway."""
    if zone is None or zone.key == event_zone:
        return None
    return i18n.format_moment_range(start, end, zone.key)
