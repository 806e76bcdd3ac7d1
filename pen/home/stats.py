"""The administrators' dashboard: the network's figures, for charts and for CSV.

Each figure is one grouped query. Charts reuse the geometry the identity layer
already draws with: horizontal bars from ``members.charts`` and weekly columns
from ``onboarding.tracking`` (fed plain ``(label, value)`` pairs or per-day
counts), drawn by ``home/_bars.html`` and the ``column_chart`` macro of
``macros/charts.html`` that the rollout page uses too.
"""

import csv
import io
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..auth.models import User, UserStatus
from ..extensions import db
from ..forums.models import Category, Post, Topic
from ..groups.models import Group
from ..library.models import Document
from ..members.charts import BarChart, region_bars
from ..onboarding import tracking
from ..spreadsheet import safe_cell

STATE_LABELS = {UserStatus.INVITED: _l("Invited"), UserStatus.ACTIVE: _l("Active"),
                UserStatus.SUSPENDED: _l("Suspended")}
WEEKS = 26  # the weekly charts show the last half year
ACTIVE_DAYS = 90  # "most active" counts the posts of the last three months
TOP = 10


def members_by_state() -> list[tuple[str, int]]:
    """Accounts per state (invited, active, suspended), zeros included."""
    rows = dict(db.session.execute(
        select(User.status, func.count()).group_by(User.status)).all())
    return [(status.value, rows.get(status, 0)) for status in UserStatus]


def state_bars(states: list[tuple[str, int]]) -> BarChart:
    """Members by state as bars, labelled in the reader's language."""
    return region_bars([(str(STATE_LABELS[UserStatus(state)]), n) for state, n in states])


def _utc_day(column):
    """The UTC calendar day of a timestamp column, on SQLite and PostgreSQL alike."""
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _per_day(column, since: datetime, *conditions) -> dict[date, int]:
    """Rows per UTC day since ``since`` (one grouped query)."""
    days = select(_utc_day(column).label("day")).where(column >= since, *conditions).subquery()
    rows = db.session.execute(select(days.c.day, func.count()).group_by(days.c.day))
    return {date.fromisoformat(str(day)[:10]): n for day, n in rows}


def _window_start(today: date) -> date:
    """The Monday ``WEEKS`` weeks ago: the first column of a weekly chart."""
    return today - timedelta(days=today.weekday(), weeks=WEEKS - 1)


def _since(today: date) -> datetime:
    """The window's first moment, midnight UTC."""
    return datetime.combine(_window_start(today), datetime.min.time(), tzinfo=UTC)


def posts_per_day(today: date) -> dict[date, int]:
    """Visible forum posts (topics' first posts included) per day over the window."""
    return _per_day(Post.created_at, _since(today), Post.deleted_at.is_(None))


def activations_per_day(today: date) -> dict[date, int]:
    """Invitations accepted per day over the window."""
    per_day = tracking.activations_per_day()
    start = _window_start(today)
    return {day: n for day, n in per_day.items() if day >= start}


def weekly(per_day: dict[date, int], today: date) -> dict[date, int]:
    """Per-day counts folded into the window's weeks (by their Monday), empty weeks kept."""
    start = _window_start(today)
    weeks = {start + timedelta(weeks=n): 0 for n in range(WEEKS)}
    for day, n in per_day.items():
        monday = day - timedelta(days=day.weekday())
        if monday in weeks:
            weeks[monday] += n
    return weeks


def weekly_chart(per_day: dict[date, int], today: date):
    """The columns of a weekly chart (drawn by ``home/_columns.html``)."""
    seeded = {_window_start(today): 0} | per_day  # a full window, so columns are weeks
    return tracking.activation_chart(seeded, today)


def most_active_groups(now: datetime) -> list[tuple[str, int]]:
    """Groups by posts in their forum over the last ``ACTIVE_DAYS`` days, busiest first."""
    count = func.count(Post.id)
    query = (select(Group.name, count).join(Topic, Topic.group_id == Group.id)
             .join(Post, Post.topic_id == Topic.id)
             .where(Post.created_at >= now - timedelta(days=ACTIVE_DAYS),
                    Post.deleted_at.is_(None), Topic.deleted.is_(False))
             .group_by(Group.id, Group.name).order_by(count.desc(), Group.name).limit(TOP))
    return [tuple(row) for row in db.session.execute(query)]


def most_active_categories(now: datetime) -> list[tuple[str, int]]:
    """Forum categories by posts over the last ``ACTIVE_DAYS`` days, busiest first."""
    count = func.count(Post.id)
    query = (select(Category.name, count).join(Topic, Topic.category_id == Category.id)
             .join(Post, Post.topic_id == Topic.id)
             .where(Post.created_at >= now - timedelta(days=ACTIVE_DAYS),
                    Post.deleted_at.is_(None), Topic.deleted.is_(False))
             .group_by(Category.id, Category.name).order_by(count.desc(), Category.name)
             .limit(TOP))
    return [tuple(row) for row in db.session.execute(query)]


def top_downloads() -> list[tuple[str, int]]:
    """The most downloaded library documents (all time)."""
    query = (select(Document.title, Document.download_count)
             .where(Document.download_count > 0)
             .order_by(Document.download_count.desc(), Document.id).limit(TOP))
    return [tuple(row) for row in db.session.execute(query)]


def total_downloads() -> int:
    """Every download of every document."""
    return db.session.scalar(select(func.coalesce(func.sum(Document.download_count), 0))) or 0


def bars(pairs: list[tuple[str, int]]) -> BarChart:
    """Horizontal bars (drawn by ``home/_bars.html``)."""
    return region_bars(pairs)


def to_csv(header: tuple[str, ...], rows) -> str:
    """Rows as CSV with a BOM for spreadsheet programs, every cell defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_cell(value) for value in row)
    return "\ufeff" + out.getvalue()


def _weeks(per_day: dict[date, int], today: date) -> list[tuple[str, int]]:
    """Weekly rows for CSV: the Monday and the count."""
    return [(monday.isoformat(), n) for monday, n in weekly(per_day, today).items()]


# Each figure of the dashboard as CSV: its columns and how to get its rows.
FIGURES = {
    "members": (("state", "accounts"), lambda now: members_by_state()),
    "activations": (("week_of", "activations"),
                    lambda now: _weeks(activations_per_day(now.date()), now.date())),
    "posts": (("week_of", "posts"), lambda now: _weeks(posts_per_day(now.date()), now.date())),
    "groups": (("group", "posts_last_90_days"), most_active_groups),
    "categories": (("category", "posts_last_90_days"), most_active_categories),
    "downloads": (("document", "downloads"), lambda now: top_downloads()),
}


def figure_csv(name: str, now: datetime) -> str | None:
    """The figure ``name`` as CSV, or None for a name the dashboard does not have."""
    if name not in FIGURES:
        return None
    header, rows = FIGURES[name]
    return to_csv(header, rows(now))
