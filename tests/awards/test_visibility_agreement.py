"""The awards' visibility rules agree with themselves: ``can``, ``clause`` and the index.

Property tests over generated members (member, committee or administrator;
active, suspended or invited) and nominations — drafts, submitted or withdrawn,
by one of them or by someone else, in a cycle still taking nominations, one whose
review an administrator opened early, or one past its deadline — and over cycles
announced or not: for every pair, the registered rule's Python form, its SQL
form and its index form give the documented answer (drafts: their nominator
alone; administrators: every nomination once submitted; the committee: submitted
nominations once their cycle's review has opened; results: members once
announced, administrators before).
"""

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from pen.auth.models import UserStatus
from pen.awards import clock, permissions
from pen.awards.models import AwardCategory, AwardCycle, Nomination, NominationStatus
from pen.extensions import db
from pen.visibility import rule_for
from tests.visibility_helpers import AGREEMENT, assert_agree, make_groups, make_users, memberships

NOW = datetime(2011, 2, 1, 9, 0, tzinfo=UTC)
_serial = itertools.count(1)
roles = st.sampled_from(["member", "committee", "admin"])
statuses = st.sampled_from([UserStatus.ACTIVE, UserStatus.ACTIVE, UserStatus.SUSPENDED,
                            UserStatus.INVITED])
award_users = st.lists(st.tuples(roles, statuses, memberships), min_size=1, max_size=4)
phases = st.sampled_from(["intake", "opened_early", "past_deadline"])
nomination_specs = st.lists(
    st.tuples(phases, st.sampled_from(list(NominationStatus)), st.integers(0, 4)),
    min_size=1, max_size=5)  # (cycle's phase, status, nominator: a generated user or 0)


def _cycles(app) -> dict[str, AwardCycle]:
    """One cycle per phase, created once per test, with the clock standing at ``NOW``."""
    app.config["AWARDS_CLOCK"] = lambda: NOW
    found = {c.name: c for c in db.session.scalars(select(AwardCycle))}
    if found:
        return found
    for name, closes, opened in (("intake", NOW + timedelta(days=20), None),
                                 ("opened_early", NOW + timedelta(days=20), NOW),
                                 ("past_deadline", NOW - timedelta(days=2), None)):
        cycle = AwardCycle(name=name, opens_at=NOW - timedelta(days=30), closes_at=closes,
                           grace_minutes=30, review_opened_at=opened)
        cycle.categories.append(AwardCategory(name="A category"))
        db.session.add(cycle)
    db.session.commit()
    return {c.name: c for c in db.session.scalars(select(AwardCycle))}


def nomination_oracle(row, nomination) -> bool:
    """The documented policy."""
    user, roles, status, _groups = row
    if status != UserStatus.ACTIVE:
        return False
    if nomination.nominator_id == user.id:
        return True
    if nomination.status == NominationStatus.DRAFT:
        return False
    return "admin" in roles or ("committee" in roles
                                and nomination.status == NominationStatus.SUBMITTED
                                and clock.review_open(nomination.cycle))


def _rows(model, kind):
    """The ids a query filtered with the registered rule's clause returns."""
    def found(user, ids) -> set[int]:
        """One query."""
        return set(db.session.scalars(select(model.id).where(
            model.id.in_(ids), rule_for(kind).clause(user))))
    return found


@AGREEMENT
@given(users=award_users, specs=nomination_specs)
def test_nomination_rule_agrees(app, users, specs):
    """can == clause == index == policy, for every member and nomination."""
    cycles = _cycles(app)
    user_rows = make_users(users, make_groups())
    others = make_users([("member", UserStatus.ACTIVE, set())], make_groups())[0][0]
    nominations = []
    for phase, status, by in specs:
        cycle = cycles[phase]
        nominator = user_rows[by - 1][0] if 0 < by <= len(user_rows) else others
        nominations.append(Nomination(cycle=cycle, category_id=cycle.categories[0].id,
                                      nominator_id=nominator.id, nominee_name="Someone",
                                      status=status))
    db.session.add_all(nominations)
    db.session.commit()
    rule = rule_for(permissions.NOMINATION_KIND)
    assert_agree(rule, user_rows, nominations,
                 sql_ids=_rows(Nomination, permissions.NOMINATION_KIND),
                 index_visible=rule.visible_in_index, oracle=nomination_oracle)


@AGREEMENT
@given(users=award_users, announced=st.lists(st.booleans(), min_size=1, max_size=3))
def test_results_rule_agrees(app, users, announced):
    """Results: active members once announced; administrators before."""
    user_rows = make_users(users, make_groups())
    made = [AwardCycle(name=f"Results {next(_serial)}", opens_at=NOW, closes_at=NOW,
                       announced_at=NOW if done else None) for done in announced]
    db.session.add_all(made)
    db.session.commit()
    rule = rule_for(permissions.RESULTS_KIND)

    def oracle(row, cycle) -> bool:
        """The documented policy."""
        _user, roles, status, _groups = row
        return status == UserStatus.ACTIVE and (cycle.announced_at is not None
                                                or "admin" in roles)

    assert_agree(rule, user_rows, made, sql_ids=_rows(AwardCycle, permissions.RESULTS_KIND),
                 index_visible=rule.visible_in_index, oracle=oracle)
