"""Following the rollout: invitations by state and cohort, activations over time, CSV.

Read-only. Every list and count derives the state in SQL (``state_expression``),
so a page of invitations with their members and mail is one query, and a count
is one grouped query, however many members there are.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager, with_expression

from ..auth.models import User
from ..extensions import db
from ..mail import MailMessage
from ..spreadsheet import safe_cell
from . import cohorts
from .models import STATES, Cohort, CohortMember, Invitation, state_expression

DAILY_UP_TO = 45  # days; a longer rollout is drawn by week
CHART_WIDTH, CHART_HEIGHT, LABEL_SPACE = 640, 180, 36
CSV_COLUMNS = ("name", "email", "account", "state", "cohorts", "first_invited", "last_sent",
               "sends", "expires", "accepted", "mail_error")


def invitations_query(now: datetime, state: str | None = None, cohort: Cohort | None = None,
                      q: str | None = None) -> Select:
    """Invitations with their member, mail and state, latest sent first, ready to paginate."""
    query = (select(Invitation).join(Invitation.user)
             .outerjoin(MailMessage, Invitation.mail_id == MailMessage.id)
             .options(contains_eager(Invitation.user), contains_eager(Invitation.mail),
                      with_expression(Invitation.state, state_expression(now)))
             .order_by(Invitation.last_sent_at.desc(), Invitation.id.desc())
             .execution_options(populate_existing=True))
    if state in STATES:
        query = query.where(state_expression(now) == state)
    if cohort is not None:
        query = query.where(Invitation.user_id.in_(
            select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)))
    if q and q.strip():
        pattern = f"%{q.strip().lower()}%"
        query = query.where(or_(User.email.like(pattern), func.lower(User.display_name)
                                .like(pattern)))
    return query


def _states(now: datetime):
    """A subquery of (user_id, state) for every invitation."""
    return (select(Invitation.user_id.label("user_id"), state_expression(now).label("state"))
            .outerjoin(MailMessage, Invitation.mail_id == MailMessage.id).subquery())


def counts(now: datetime) -> dict[str, int]:
    """How many invitations are in each state (every state listed, zeros included)."""
    states = _states(now)
    rows = db.session.execute(select(states.c.state, func.count()).group_by(states.c.state))
    return {state: 0 for state in STATES} | {state: n for state, n in rows}


@dataclass
class CohortCounts:
    """One cohort's size and its members' invitations by state."""

    cohort: Cohort
    size: int
    states: dict[str, int]

    @property
    def not_invited(self) -> int:
        """Members of the cohort who have no invitation at all."""
        return self.size - sum(self.states.values())


def counts_by_cohort(now: datetime) -> list[CohortCounts]:
    """Every cohort with its invitation counts by state (two queries)."""
    states = _states(now)
    rows = db.session.execute(
        select(CohortMember.cohort_id, states.c.state, func.count())
        .join(states, states.c.user_id == CohortMember.user_id)
        .group_by(CohortMember.cohort_id, states.c.state))
    by_cohort: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATES, 0))
    for cohort_id, state, n in rows:
        by_cohort[cohort_id][state] = n
    return [CohortCounts(cohort, size, by_cohort[cohort.id])
            for cohort, size in cohorts.with_sizes()]


# --- Activations over time --------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the chart: a day or a week, its activations and where it is drawn."""

    start: date
    value: int
    x: float
    width: float
    height: float
    labelled: bool

    @property
    def y(self) -> float:
        """The top of the column."""
        return CHART_HEIGHT - self.height


@dataclass(frozen=True)
class ActivationChart:
    """Activations per day (or per week, for a long rollout), ready to draw as SVG."""

    columns: tuple[Column, ...]
    by_week: bool
    total: int
    largest: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    label_space: int = LABEL_SPACE


def _utc_day(column):
    """The UTC calendar day of a timestamp column, on SQLite and PostgreSQL alike."""
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def activations_per_day() -> dict[date, int]:
    """How many invitations were accepted each (UTC) day."""
    days = select(_utc_day(Invitation.accepted_at).label("day")).where(
        Invitation.accepted_at.is_not(None)).subquery()
    rows = db.session.execute(select(days.c.day, func.count()).group_by(days.c.day))
    return {date.fromisoformat(str(day)[:10]): n for day, n in rows}


def activation_chart(per_day: dict[date, int], today: date) -> ActivationChart | None:
    """Columns from the first activation to today; None before anyone has joined."""
    if not per_day:
        return None
    first = min(per_day)
    by_week = (today - first).days >= DAILY_UP_TO
    buckets = _weekly(per_day, first, today) if by_week else _daily(per_day, first, today)
    largest = max(buckets.values()) or 1
    width = CHART_WIDTH / len(buckets)
    every = max(1, round(len(buckets) / 8))  # about eight labels, whatever the span
    columns = tuple(
        Column(start, value, index * width, width, (CHART_HEIGHT - 16) * value / largest,
               index % every == 0)
        for index, (start, value) in enumerate(sorted(buckets.items())))
    return ActivationChart(columns, by_week, sum(per_day.values()), largest)


def _daily(per_day: dict[date, int], first: date, today: date) -> dict[date, int]:
    return {first + timedelta(days=n): per_day.get(first + timedelta(days=n), 0)
            for n in range((max(today, max(per_day)) - first).days + 1)}


def _weekly(per_day: dict[date, int], first: date, today: date) -> dict[date, int]:
    monday = first - timedelta(days=first.weekday())
    weeks = {monday + timedelta(weeks=n): 0
             for n in range((max(today, max(per_day)) - monday).days // 7 + 1)}
    for day, n in per_day.items():
        weeks[day - timedelta(days=day.weekday())] += n
    return weeks


# --- Export -----------------------------------------------------------------------------------


def export_csv(now: datetime) -> str:
    """Every invitation as CSV (three queries), with a BOM for spreadsheet programs."""
    names = defaultdict(list)
    for user_id, name in db.session.execute(
            select(CohortMember.user_id, Cohort.name).join(Cohort).order_by(Cohort.name)):
        names[user_id].append(name)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for invitation in db.session.scalars(invitations_query(now)):
        writer.writerow(safe_cell(value) for value in _row(invitation, names[invitation.user_id]))
    return "\ufeff" + out.getvalue()


def _row(invitation: Invitation, cohort_names: list[str]) -> list[str]:
    user, message = invitation.user, invitation.mail
    return [user.display_name, user.email, user.status.value, invitation.state,
            "; ".join(cohort_names), _when(invitation.created_at),
            _when(invitation.last_sent_at), str(invitation.send_count),
            _when(invitation.expires_at), _when(invitation.accepted_at),
            (message.last_error or "") if message else ""]


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""
