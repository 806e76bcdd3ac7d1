"""What the visibility agreement tests share: generated members, groups, the check.

A property test builds a small world per example (a few members, a few objects),
then asks every (member, object) pair three questions — the rule's ``can``, its
SQL ``clause`` (the rows a query filtered with it returns) and the index filter
(the search document's acl meets the member's terms) — and a plain oracle
written from the documented policy. All four must agree.
"""

import itertools

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pen.auth import service as auth_service
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.groups.models import Group, GroupMembership

GROUPS = 3  # the member belongs to some of groups 1..3; objects may name any of them
AGREEMENT = settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.too_slow])

roles = st.sampled_from(["member", "moderator", "admin"])
statuses = st.sampled_from([UserStatus.ACTIVE, UserStatus.ACTIVE, UserStatus.SUSPENDED,
                            UserStatus.INVITED])
memberships = st.sets(st.integers(1, GROUPS), max_size=GROUPS)
group_choice = st.one_of(st.none(), st.integers(1, GROUPS))
user_specs = st.lists(st.tuples(roles, statuses, memberships), min_size=1, max_size=4)

_serial = itertools.count(1)


def make_groups() -> list[int]:
    """Groups 1..GROUPS (created once per test), their ids in order."""
    found = list(db.session.scalars(select(Group.id).order_by(Group.id)))
    if len(found) >= GROUPS:
        return found[:GROUPS]
    for n in range(len(found) + 1, GROUPS + 1):
        db.session.add(Group(slug=f"agreement-{n}", name=f"Agreement group {n}"))
    db.session.commit()
    return list(db.session.scalars(select(Group.id).order_by(Group.id)))[:GROUPS]


def make_users(specs, group_ids: list[int]) -> list:
    """One account per (role, status, groups) spec, with its memberships."""
    users = []
    for role, status, groups in specs:
        number = next(_serial)
        extra = () if role == "member" else (role,)
        user = auth_service.new_user(f"agree{number}@example.org", f"Agree {number}",
                                     status, extra)
        db.session.flush()
        for group in groups:
            db.session.add(GroupMembership(group_id=group_ids[group - 1], user_id=user.id))
        users.append((user, {role}, status, {group_ids[g - 1] for g in groups}))
    db.session.flush()
    return users


def describe(user_row, obj) -> str:
    """A readable account of a failing pair."""
    _user, role, status, groups = user_row
    fields = {k: v for k, v in vars(obj).items() if not k.startswith("_")}
    return f"user role={role} status={status} groups={groups}; object {fields}"


def assert_agree(rule, user_rows, objects, sql_ids, index_visible, oracle) -> None:
    """``can``, the clause's rows, the index filter and the oracle agree on every pair."""
    ids = [obj.id for obj in objects]
    for row in user_rows:
        user = row[0]
        in_sql = sql_ids(user, ids)
        for obj in objects:
            expected = oracle(row, obj)
            answers = {"can": rule.can(user, obj), "clause": obj.id in in_sql,
                       "index": index_visible(user, obj)}
            assert set(answers.values()) == {expected}, (answers, expected,
                                                        describe(row, obj))
