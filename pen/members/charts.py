"""Server-rendered charts: geometry here, drawing in the template (inline SVG)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its label, value and where it is drawn."""

    label: str
    value: int
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart sized for its bars."""

    bars: tuple[Bar, ...]
    height: int
    total: int


# Each row: the region's name on a line of its own, the bar under it with its value after.
# Drawn 260 units wide, the width of the directory's side column, so 13-unit text stays
# about 13 px on screen.
BAR_HEIGHT, GAP, MAX_WIDTH, WIDTH = 32, 6, 200, 260


def region_bars(counts: list[tuple[str, int]]) -> BarChart:
    """Bars for (label, count) pairs, scaled to the largest."""
    largest = max((value for _, value in counts), default=0) or 1
    bars = tuple(
        Bar(label, value, index * (BAR_HEIGHT + GAP), MAX_WIDTH * value / largest)
        for index, (label, value) in enumerate(counts)
    )
    return BarChart(bars, len(bars) * (BAR_HEIGHT + GAP), sum(v for _, v in counts))
