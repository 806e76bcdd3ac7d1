"""The member's home page: what is coming, what moved in their groups, what awaits them.

Upcoming events come from the events area through one call,
``pen.events.calendar.upcoming_for(user, limit)``; the home only reads its
objects' ``title``, ``url``, ``starts_at`` and ``zone``. If the events area is
not installed, the panel says so rather than pretending there is nothing.
"""

import importlib
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..notifications import service as notifications
from ..notifications.models import Notification
from ..onboarding import checklist
from . import feed
from .entries import Entry, entries

PANEL_SIZE = 5


@dataclass(frozen=True)
class Dashboard:
    """Everything the home page shows a member."""

    events: list | None  # None: the calendar is not available
    group_news: list[Entry]
    unread: list[Notification]
    unread_count: int
    steps: list[checklist.Step]  # empty once every step is done


def upcoming_events(user, limit: int = PANEL_SIZE) -> list | None:
    """The member's next events, or None when the events area is not installed."""
    try:
        calendar = importlib.import_module("pen.events.calendar")
    except ModuleNotFoundError as error:
        if error.name not in ("pen.events", "pen.events.calendar"):
            raise  # a broken calendar must show, not pass for a missing one
        return None
    upcoming_for = getattr(calendar, "upcoming_for", None)
    return None if upcoming_for is None else list(upcoming_for(user, limit=limit))


def unread_notifications(user, limit: int = PANEL_SIZE) -> list[Notification]:
    """The member's newest unread notifications about what they may still see."""
    query = (select(Notification)
             .where(Notification.user_id == user.id, Notification.read_at.is_(None),
                    notifications.visible_clause(user))
             .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    return notifications.split_visible(user, list(db.session.scalars(query)))[0]


def open_steps(user) -> list[checklist.Step]:
    """The welcome checklist while any step is left; nothing once all are done."""
    steps = checklist.steps_for(user)
    return [] if all(step.done for step in steps) else steps


def for_member(user) -> Dashboard:
    """The home page's panels for ``user``."""
    news = feed.page(user, feed.Query(scope="mine", limit=PANEL_SIZE)).items
    return Dashboard(upcoming_events(user), entries(news), unread_notifications(user),
                     notifications.unread_count(user), open_steps(user))
