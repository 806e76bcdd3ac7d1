"""The groups' visibility rules agree with themselves: ``can``, ``clause`` and the index.

Property tests over generated members (roles, group memberships, suspended or
invited accounts) and a group's content — its work-plan items, meetings and
members joining, in one of three groups: for every pair, the registered rule's
Python form, its SQL form (the rows a query filtered with it returns; for
meetings, the calendar's ``visible_between``) and its index form give the
documented answer: active members see their groups' content, administrators
every group's.
"""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from pen.auth.models import UserStatus
from pen.extensions import db
from pen.groups import meetings, permissions
from pen.groups.models import Activity, Group, GroupMembership, Meeting
from pen.visibility import rule_for
from tests.visibility_helpers import AGREEMENT, assert_agree, make_groups, make_users, user_specs

group_numbers = st.lists(st.integers(1, 3), min_size=1, max_size=4)
START = datetime(2030, 1, 1, tzinfo=UTC)


def content_oracle(row, group_id) -> bool:
    """The documented policy: active members see their groups' content; administrators
    every group's."""
    _user, roles, status, groups = row
    return status == UserStatus.ACTIVE and ("admin" in roles or group_id in groups)


def _rows(model, kind):
    """The ids of ``model`` that a query filtered with the registered rule returns."""
    def found(user, ids) -> set[int]:
        """One query with the rule's clause."""
        return set(db.session.scalars(select(model.id).where(
            model.id.in_(ids), rule_for(kind).clause(user))))
    return found


def _in_index(kind):
    """The rule's index form for one object."""
    return lambda user, obj: rule_for(kind).visible_in_index(user, obj)


def _oracle(row, obj) -> bool:
    """The policy, for any object with a ``group_id``."""
    return content_oracle(row, obj.group_id)


@AGREEMENT
@given(users=user_specs, plan=group_numbers, planned=group_numbers)
def test_plan_meeting_and_content_rules_agree(app, users, plan, planned):
    """can == clause == index == policy for work-plan items, meetings and groups."""
    group_ids = make_groups()
    user_rows = make_users(users, group_ids)
    items = [Activity(group_id=group_ids[n - 1], title="An item") for n in plan]
    held = [Meeting(group_id=group_ids[n - 1], title="A meeting", place="Geneva",
                    starts_at=START + timedelta(days=i)) for i, n in enumerate(planned)]
    db.session.add_all(items + held)
    db.session.commit()

    assert_agree(rule_for(permissions.PLAN_KIND), user_rows, items,
                 sql_ids=_rows(Activity, permissions.PLAN_KIND),
                 index_visible=_in_index(permissions.PLAN_KIND), oracle=_oracle)

    def calendar_ids(user, ids) -> set[int]:
        """The calendar's meetings, which must be the rule's clause's rows."""
        window = meetings.visible_between(user, START, START + timedelta(days=9))
        by_calendar = {m.id for m in window} & set(ids)  # earlier examples' meetings too
        assert by_calendar == _rows(Meeting, permissions.MEETING_KIND)(user, ids)
        return by_calendar

    assert_agree(rule_for(permissions.MEETING_KIND), user_rows, held, sql_ids=calendar_ids,
                 index_visible=_in_index(permissions.MEETING_KIND), oracle=_oracle)

    groups = list(db.session.scalars(select(Group).where(Group.id.in_(group_ids))))
    assert_agree(rule_for(permissions.CONTENT_KIND), user_rows, groups,
                 sql_ids=_rows(Group, permissions.CONTENT_KIND),
                 index_visible=_in_index(permissions.CONTENT_KIND),
                 oracle=lambda row, group: content_oracle(row, group.id))
    for row in user_rows:  # the predicate by id says what the rule says of the group
        for group in groups:
            assert permissions.can_see_group_content(row[0], group.id) == \
                content_oracle(row, group.id)


@AGREEMENT
@given(users=user_specs)
def test_join_rule_agrees(app, users):
    """Members joining a group: news for that group's members and administrators."""
    group_ids = make_groups()
    user_rows = make_users(users, group_ids)
    db.session.commit()
    joins = list(db.session.scalars(select(GroupMembership).where(
        GroupMembership.user_id.in_([row[0].id for row in user_rows]))))
    rule = rule_for(permissions.JOIN_KIND)
    for row in user_rows:
        user = row[0]
        seen = set(db.session.execute(select(GroupMembership.group_id, GroupMembership.user_id)
                                      .where(rule.clause(user))).all())
        for join in joins:
            expected = content_oracle(row, join.group_id)
            assert rule.can(user, join) == expected
            assert ((join.group_id, join.user_id) in seen) == expected
            assert rule.visible_in_index(user, join) == expected
