"""The ranking, made cheaper (issue 26), ranks exactly as before and costs the same
number of statements however many nominations and reviews a cycle holds."""

import random

import pytest
from sqlalchemy import event, select

from pen.awards import conflicts, cycles, nominating, reviewing
from pen.awards.models import Conflict, Nomination, NominationStatus, Review
from pen.extensions import db
from pen.members.models import Profile
from tests.awards.conftest import entry, signed_in, with_profile

COUNTRIES = ["KE", "SN", "BR", "VN", "CH"]


def reference_ranking(cycle, viewer=None):
    """The ranking as it was computed before (one conflict state at a time, from full
    profiles, with the flags in words): what the faster one must still give."""
    nominations = list(db.session.scalars(select(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED)
        .order_by(Nomination.category_id, Nomination.submitted_at, Nomination.id)))
    reviews = db.session.execute(select(Review.nomination_id, Review.reviewer_id,
                                        Review.weighted).join(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED)).all()
    admin = viewer is not None and "admin" in viewer.role_names
    table = {}
    for nomination in nominations:
        mine = [r for r in reviews if r.nomination_id == nomination.id]
        values = [r.weighted for r in mine if not _restricted(nomination, r.reviewer_id)]
        hidden = None
        if viewer is not None and not admin:
            if _restricted(nomination, viewer.id):
                hidden = "conflict"
            elif viewer.id not in {r.reviewer_id for r in mine}:
                hidden = "unreviewed"
        values = [] if hidden else values
        table.setdefault(nomination.category_id, []).append((
            nomination.id, sum(values) / len(values) if values else None,
            max(values) - min(values) if values else None, len(values), hidden))
    for rows in table.values():
        rows.sort(key=lambda r: (r[1] is None, -(r[1] or 0), r[0]))
    return table


def _restricted(nomination, reviewer_id) -> bool:
    row = db.session.scalar(select(Conflict).where(Conflict.nomination_id == nomination.id,
                                                   Conflict.reviewer_id == reviewer_id))

    def party(user_id, organisation="", country=None):
        profile = db.session.get(Profile, user_id) if user_id else None
        if profile is not None:
            return conflicts.Party(user_id, profile.organisation, profile.country)
        return conflicts.Party(user_id, organisation, country)

    flags = conflicts.flags_for(party(reviewer_id), party(
        nomination.nominee_user_id, nomination.nominee_organisation, nomination.nominee_country),
        party(nomination.nominator_id))
    return bool(row and row.declared) or (bool(flags) and not (row and row.cleared_at))


def as_tuples(table):
    """The ranking as plain values, comparable with ``reference_ranking``."""
    return {category: [(r.nomination.id, r.mean, r.spread, r.count, r.hidden) for r in rows]
            for category, rows in table.items()}


def nominate(cycle, nominator, count, rng):
    """``count`` submitted nominations of people outside the network, in both categories."""
    made = []
    for number in range(count):
        made.append(nominating.save(nominator, cycle, entry(
            cycle, category_id=cycle.categories[number % 2].id, nominee_kind="person",
            nominee_name=f"Nominee {number}", nominee_organisation=f"Agency {number % 4}",
            nominee_country=rng.choice(COUNTRIES)), submit=True))
    return made


@pytest.fixture
def committee(make_user):
    """Four committee members: one from Kenya (in conflict with Kenyan nominees), one from
    "Agency 1" (with its nominees), two without ties."""
    places = [("NILU", "NO"), ("KEMI", "KE"), ("Agency 1", "DE"), ("BAFU", "AT")]
    return [with_profile(make_user(email=f"committee{i}@example.org", name=f"Reviewer {i}",
                                   roles=("committee",)), organisation, country)
            for i, (organisation, country) in enumerate(places)]


def test_the_ranking_is_the_same_as_before_with_ties_conflicts_and_missing_reviews(
        app, cycle, nominator, committee, admin, clock):
    rng = random.Random(2011)
    nominations = nominate(cycle, nominator, 14, rng)
    nominating.withdraw(nominator, nominations[7])  # withdrawn: never ranked
    clock.after_deadline()
    first, second = cycle.criteria
    for index, nomination in enumerate(nominations):
        for reviewer in committee:
            if rng.random() < 0.25 or not reviewing.permissions.can_review(reviewer, nomination):
                continue  # a missing review, or a flagged conflict
            tie = index in (2, 4)  # two nominations of one category with the same scores
            reviewing.save_review(reviewer, nomination, {
                first.id: 4 if tie else rng.randint(1, 5),
                second.id: 2 if tie else rng.randint(1, 5)}, "")
    reviewing.declare_conflict(committee[0], nominations[5], "a former colleague")
    kenyan = next(n for n in nominations if n.nominee_country == "KE")
    reviewing.clear_conflict(admin, kenyan, committee[1])
    with_profile(committee[3], "BAFU", "SN")  # moved: now tied to the Senegalese nominees
    for viewer in (None, admin, *committee):
        assert as_tuples(reviewing.ranking(cycle, viewer)) == reference_ranking(cycle, viewer)
    hidden = {r.hidden for rows in reviewing.ranking(cycle, committee[1]).values() for r in rows}
    assert {"conflict", None} <= hidden  # the seeded cycle does hold what it claims
    means = [r.mean for rows in reviewing.ranking(cycle).values() for r in rows]
    assert len(means) != len(set(means))  # and ties


def ranking_statements(app, viewer, cycle) -> int:
    """How many statements the ranking page runs for ``viewer``."""
    client = signed_in(app, viewer)
    client.get(f"/awards/{cycle.id}/ranking")  # warm: caches filled once per app
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(f"/awards/{cycle.id}/ranking").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_the_ranking_costs_the_same_statements_for_more_nominations_and_reviews(
        app, cycle, nominator, committee, admin):
    rng = random.Random(7)
    cycles.open_review(admin, cycle)  # nominations and reviews side by side, in the call

    def nominate_and_review(count):
        for nomination in nominate(cycle, nominator, count, rng):
            for reviewer in committee:
                if reviewing.permissions.can_review(reviewer, nomination):
                    reviewing.save_review(reviewer, nomination, {
                        c.id: rng.randint(1, 5) for c in cycle.criteria}, "")

    nominate_and_review(2)
    few = ranking_statements(app, committee[0], cycle)
    nominate_and_review(12)
    assert ranking_statements(app, committee[0], cycle) == few
