"""A figure over the last days as an SVG polyline, drawn on the server (no script)."""

from dataclasses import dataclass
from datetime import datetime

WIDTH, HEIGHT = 480, 80


@dataclass(frozen=True)
class LineChart:
    """The polyline's points (``"x,y x,y…"``), its range and the raw samples for the table."""

    points: str
    low: float
    high: float
    samples: list[tuple[datetime, float]]
    width: int = WIDTH
    height: int = HEIGHT


def line_chart(samples: list[tuple[datetime, float]]) -> LineChart:
    """Scale the samples to the chart: time across, value up (the lowest at the bottom)."""
    low = min(value for _, value in samples)
    high = max(value for _, value in samples)
    first, last = samples[0][0], samples[-1][0]
    span = (last - first).total_seconds() or 1.0
    spread = (high - low) or 1.0
    points = " ".join(
        f"{(moment - first).total_seconds() / span * WIDTH:.1f},"
        f"{HEIGHT - (value - low) / spread * (HEIGHT - 4) - 2:.1f}"
        for moment, value in samples)
    return LineChart(points, low, high, samples)
