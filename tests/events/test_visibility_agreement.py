"""The event rule agrees with itself: ``can``, ``clause`` (the calendar, the .ics feeds)
and the index form.

Property test over generated members (roles, group memberships, suspended or
invited accounts) and events — of the whole network or of one of three groups:
for every pair, the registered rule's Python form, its SQL form as the
iCalendar feed and the calendar's list read it, and its index form give the
documented answer: network events for every active member, a group's events for
its members and administrators.
"""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from pen.auth.models import UserStatus
from pen.events import ical, permissions
from pen.events.models import Event
from pen.extensions import db
from pen.visibility import rule_for
from tests.visibility_helpers import (
    AGREEMENT,
    assert_agree,
    group_choice,
    make_groups,
    make_users,
    user_specs,
)

START = datetime(2031, 5, 4, 9, 0, tzinfo=UTC)


def event_oracle(row, event) -> bool:
    """The documented policy."""
    _user, roles, status, groups = row
    if status != UserStatus.ACTIVE:
        return False
    return event.group_id is None or "admin" in roles or event.group_id in groups


@AGREEMENT
@given(users=user_specs, placed=st.lists(group_choice, min_size=1, max_size=4))
def test_event_rule_agrees(app, users, placed):
    """can == clause == feed == index == policy, for every member and event."""
    group_ids = make_groups()
    user_rows = make_users(users, group_ids)
    events = [Event(title="A workshop", starts_at=START + timedelta(days=i),
                    ends_at=START + timedelta(days=i, hours=2),
                    group_id=group_ids[n - 1] if n else None) for i, n in enumerate(placed)]
    db.session.add_all(events)
    db.session.commit()

    def in_sql(user, ids) -> set[int]:
        """The feed's events (every window includes these), which must be the clause's."""
        rule = rule_for(permissions.EVENT_KIND)
        by_clause = set(db.session.scalars(select(Event.id).where(Event.id.in_(ids),
                                                                   rule.clause(user))))
        by_feed = {e.id for e in ical._events(user, START, START + timedelta(days=9))}
        assert by_feed & set(ids) == by_clause
        return by_clause

    assert_agree(rule_for(permissions.EVENT_KIND), user_rows, events, sql_ids=in_sql,
                 index_visible=lambda u, e: rule_for(permissions.EVENT_KIND)
                 .visible_in_index(u, e), oracle=event_oracle)
