"""Time for the awards: an injectable "now", deadlines with grace, and time zones.

Moments are stored in UTC. Administrators enter them in the cycle's zone; pages
show them in that zone (and in UTC, since member profiles carry no zone). Tests
and the demo move time forward by setting ``AWARDS_CLOCK`` to a function
returning an aware datetime, never by sleeping.
"""

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app
from flask_babel import gettext as _

from ..errors import ValidationError
from ..types import utcnow


def now() -> datetime:
    """The current moment, from ``AWARDS_CLOCK`` when set (tests, demo), else the real one."""
    clock = current_app.config.get("AWARDS_CLOCK")
    return clock() if clock else utcnow()


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA time zone name, sorted, for the cycle form's list."""
    return tuple(sorted(available_timezones()))


def zone(name: str) -> ZoneInfo:
    """The zone of this IANA name; ValidationError for a name that is not one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("%(name)s is not a time zone.", name=name), "time_zone") from exc


def to_utc(local: datetime, zone_name: str, field: str) -> datetime:
    """A wall-clock time in ``zone_name`` as an aware UTC moment.

    A time skipped by a daylight-saving change does not exist there; refuse it
    rather than guess which hour was meant.
    """
    tz = zone(zone_name)
    aware = local.replace(tzinfo=tz)
    round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != local.replace(tzinfo=None):
        raise ValidationError(_("This time does not exist in %(zone)s (the clocks change then).",
                                zone=zone_name), field)
    return aware.astimezone(UTC)


def in_zone(moment: datetime | None, zone_name: str) -> datetime | None:
    """The moment on the clocks of ``zone_name``."""
    return moment.astimezone(ZoneInfo(zone_name)) if moment else None


def hard_deadline(cycle) -> datetime:
    """The real end of intake: the published closing moment plus the unannounced grace."""
    return cycle.closes_at + timedelta(minutes=cycle.grace_minutes)


def is_open(cycle, at: datetime | None = None) -> bool:
    """Whether nominations may be started, edited, submitted or withdrawn."""
    at = at or now()
    return cycle.opens_at <= at < hard_deadline(cycle)


def has_opened(cycle, at: datetime | None = None) -> bool:
    """Whether the call for nominations has started."""
    return (at or now()) >= cycle.opens_at


def review_open(cycle, at: datetime | None = None) -> bool:
    """Review starts when intake ends, or earlier if an administrator opened it."""
    return cycle.review_opened_at is not None or (at or now()) >= hard_deadline(cycle)


def review_running(cycle, at: datetime | None = None) -> bool:
    """Reviewers may score and revise: review has opened and not been closed."""
    return review_open(cycle, at) and cycle.review_closed_at is None


def phase(cycle, at: datetime | None = None) -> str:
    """Where a cycle stands: upcoming, open, review, decided or announced."""
    at = at or now()
    if cycle.announced_at is not None:
        return "announced"
    if not has_opened(cycle, at):
        return "upcoming"
    if is_open(cycle, at) and cycle.review_opened_at is None:
        return "open"
    return "review" if cycle.review_closed_at is None else "decided"
