"""The work plan's timeline: bars placed on a month scale, drawn as SVG by the template."""

from dataclasses import dataclass
from datetime import date, timedelta

from .. import i18n
from .models import Activity

ROW_HEIGHT, LABEL_WIDTH, CHART_WIDTH = 28, 260, 640


@dataclass(frozen=True)
class Bar:
    """One activity on the timeline (x and width in SVG units)."""

    activity: Activity
    y: int
    x: float
    width: float
    overdue: bool


@dataclass(frozen=True)
class Tick:
    """A month boundary on the scale."""

    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    """Everything the template needs to draw the chart."""

    bars: list[Bar]
    ticks: list[Tick]
    today_x: float | None
    height: int
    width: int = LABEL_WIDTH + CHART_WIDTH
    label_width: int = LABEL_WIDTH


def _span(item: Activity) -> tuple[date, date] | None:
    """An activity's first and last day; one-day long when only one date is known."""
    start = item.start_date or item.due_date
    end = item.due_date or item.start_date
    return (start, end) if start else None


def _months(first: date, last: date) -> list[date]:
    day, found = first.replace(day=1), []
    while day <= last:
        found.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return found


def build(items: list[Activity], today: date) -> Timeline | None:
    """The timeline of the dated activities, or None when none has a date."""
    spans = [(item, span) for item in items if (span := _span(item))]
    if not spans:
        return None
    first = min(s for _i, (s, _e) in spans).replace(day=1)
    last_day = max(e for _i, (_s, e) in spans)
    last = (last_day.replace(day=1) + timedelta(days=32)).replace(day=1)
    days = (last - first).days or 1

    def x_of(day: date) -> float:
        """Where ``day`` falls on the chart."""
        return round(LABEL_WIDTH + CHART_WIDTH * (day - first).days / days, 1)

    bars = [Bar(item, 24 + i * ROW_HEIGHT, x_of(s),
                max(4.0, round(x_of(e + timedelta(days=1)) - x_of(s), 1)), item.is_overdue(today))
            for i, (item, (s, e)) in enumerate(spans)]
    ticks = [Tick(x_of(month), i18n.format_short_month(month))
             for month in _months(first, last_day)]
    today_x = x_of(today) if first <= today <= last else None
    return Timeline(bars, ticks, today_x, 24 + len(bars) * ROW_HEIGHT + 8)
