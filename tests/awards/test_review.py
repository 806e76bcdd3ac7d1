"""The committee's review: when it opens, conflicts, scores, ranking, discussion, privacy."""

import pytest
from sqlalchemy import select

from pen.audit import AuditEntry
from pen.auth import service as accounts
from pen.awards import cycles, nominating, reviewing
from pen.errors import Forbidden
from pen.extensions import db
from tests.awards.conftest import entry, outside_entry, signed_in, with_profile


def scores(cycle, impact, innovation):
    """A review's scores by criterion id: impact (weight 3), innovation (weight 1)."""
    first, second = cycle.criteria
    return {first.id: impact, second.id: innovation}


def test_the_committee_sees_nominations_only_after_the_deadline(
        app, cycle, submitted, reviewer, clock):
    client = signed_in(app, reviewer)
    assert client.get(f"/awards/n/{submitted.id}").status_code == 404
    assert client.get(f"/awards/{cycle.id}/ranking").status_code == 403
    clock.after_deadline()
    page = client.get(f"/awards/n/{submitted.id}").get_data(as_text=True)
    assert "Advisory Committee" in page and "Your review" in page
    assert client.get(f"/awards/{cycle.id}/ranking").status_code == 200


def test_an_admin_can_open_the_review_early(app, cycle, submitted, reviewer, admin):
    assert not reviewing.permissions.can_review(reviewer, submitted)
    cycles.open_review(admin, cycle)
    assert reviewing.permissions.can_review(reviewer, submitted)


def test_drafts_never_reach_the_committee(app, cycle, nominator, reviewer, clock):
    draft = nominating.save(nominator, cycle, outside_entry(cycle))
    clock.after_deadline()
    assert signed_in(app, reviewer).get(f"/awards/n/{draft.id}").status_code == 404


def test_a_score_outside_the_scale_is_shown_beside_its_field(app, cycle, submitted, reviewer,
                                                             clock):
    clock.after_deadline()
    first, second = cycle.criteria
    response = signed_in(app, reviewer).post(f"/awards/n/{submitted.id}/review", data={
        f"c{first.id}": "7", f"c{second.id}": "3", "comment": "Strong inventory"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "7 is outside the scale: scores go from 1 to 5." in page
    assert "Strong inventory" in page  # what was typed is kept
    assert reviewing.own_review(reviewer, submitted) is None
    with pytest.raises(reviewing.ScoresInvalid) as refused:
        reviewing.save_review(reviewer, submitted, scores(cycle, 0, "x"), "")
    assert set(refused.value.errors) == {f"c{first.id}", f"c{second.id}"}


def test_a_flagged_conflict_forbids_reviewing_until_an_admin_clears_it(
        app, cycle, submitted, make_user, admin, clock):
    clock.after_deadline()
    compatriot = with_profile(make_user(name="Tran Van Minh", roles=("committee",)),
                              "Hanoi University", "VN")  # same country as the nominee
    client = signed_in(app, compatriot)
    page = client.get(f"/awards/n/{submitted.id}").get_data(as_text=True)
    assert "same country as the nominee" in page
    first, second = cycle.criteria
    response = client.post(f"/awards/n/{submitted.id}/review",
                           data={f"c{first.id}": "5", f"c{second.id}": "5"})
    assert response.status_code == 403
    reviewing.clear_conflict(admin, submitted, compatriot)
    assert client.post(f"/awards/n/{submitted.id}/review", data={
        f"c{first.id}": "5", f"c{second.id}": "5"}).status_code == 302
    assert "award.conflict.clear" in db.session.scalars(select(AuditEntry.action)).all()


@pytest.mark.parametrize("tie", ["organisation", "nominator", "nominee"])
def test_likely_conflicts_are_flagged(cycle, nominator, nominee, make_user, clock, tie):
    if tie == "organisation":
        reviewer = with_profile(make_user(roles=("committee",)), "ministerio de  SALUD", "FR")
        nomination = nominating.save(nominator, cycle, outside_entry(cycle), submit=True)
        expected = "same organisation as the nominator"
    elif tie == "nominator":
        nominator.roles.append(accounts.role("committee"))
        reviewer, expected = nominator, "you are the nominator"
        nomination = nominating.save(nominator, cycle, outside_entry(cycle), submit=True)
    else:
        reviewer = with_profile(make_user(roles=("committee",)), "Somewhere", "BR")
        nomination = nominating.save(nominator, cycle, entry(cycle, reviewer.email),
                                     submit=True)
        expected = "you are the nominee"
    clock.after_deadline()
    state = reviewing.conflicts.state(nomination, reviewer.id)
    assert expected in state.flags and state.restricted
    with pytest.raises(Forbidden):
        reviewing.save_review(reviewer, nomination, scores(cycle, 5, 5), "")


def test_a_declared_conflict_forbids_reviewing_and_cannot_be_cleared(
        app, cycle, submitted, reviewer, admin, clock):
    clock.after_deadline()
    client = signed_in(app, reviewer)
    client.post(f"/awards/n/{submitted.id}/conflict", data={"reason": "We co-wrote a report"})
    first, second = cycle.criteria
    assert client.post(f"/awards/n/{submitted.id}/review", data={
        f"c{first.id}": "4", f"c{second.id}": "4"}).status_code == 403
    with pytest.raises(reviewing.ValidationError):
        reviewing.clear_conflict(admin, submitted, reviewer)


def test_others_reviews_appear_only_after_ones_own(app, cycle, submitted, reviewer,
                                                   second_reviewer, clock):
    clock.after_deadline()
    reviewing.save_review(second_reviewer, submitted, scores(cycle, 2, 2),
                          "Hans thinks it is thin")
    client = signed_in(app, reviewer)
    before = client.get(f"/awards/n/{submitted.id}").get_data(as_text=True)
    assert "Hans thinks it is thin" not in before and "Hans Keller" not in before
    assert "appear once you have submitted yours" in before
    reviewing.save_review(reviewer, submitted, scores(cycle, 5, 3), "Excellent")
    after = client.get(f"/awards/n/{submitted.id}").get_data(as_text=True)
    assert "Hans thinks it is thin" in after and "Hans Keller" in after


def test_reviews_can_be_revised_until_the_review_closes(cycle, submitted, reviewer, admin,
                                                        clock):
    clock.after_deadline()
    reviewing.save_review(reviewer, submitted, scores(cycle, 3, 3), "")
    review = reviewing.save_review(reviewer, submitted, scores(cycle, 5, 1), "On reflection")
    assert review.weighted == pytest.approx((5 * 3 + 1) / 4)
    cycles.close_review(admin, cycle)
    with pytest.raises(Forbidden):
        reviewing.save_review(reviewer, submitted, scores(cycle, 1, 1), "")
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("award.review.submit") == 1 and "award.review.revise" in actions


def test_the_ranking_uses_weighted_means_spread_and_leaves_out_conflicted_reviews(
        app, cycle, nominator, nominee, reviewer, second_reviewer, admin, clock):
    first = nominating.save(nominator, cycle, entry(cycle, nominee.email), submit=True)
    second = nominating.save(nominator, cycle, outside_entry(cycle), submit=True)
    clock.after_deadline()
    reviewing.save_review(reviewer, first, scores(cycle, 5, 1), "")         # 4.0
    reviewing.save_review(second_reviewer, first, scores(cycle, 3, 3), "")  # 3.0
    reviewing.save_review(reviewer, second, scores(cycle, 4, 4), "")        # 4.0
    reviewing.save_review(second_reviewer, second, scores(cycle, 5, 5), "")  # 5.0
    reviewing.declare_conflict(second_reviewer, second, "colleague")  # 5.0 no longer counts
    [rows] = reviewing.ranking(cycle).values()
    assert [(r.nomination.id, r.mean, r.spread, r.count) for r in rows] == [
        (second.id, 4.0, 0.0, 1), (first.id, 3.5, 1.0, 2)]
    page = signed_in(app, reviewer).get(f"/awards/{cycle.id}/ranking").get_data(as_text=True)
    assert page.index("Ana González") < page.index("Nguyen Thi Lan")
    assert "3.50" in page and "1.00" in page


def test_the_ranking_hides_scores_from_a_reviewer_in_conflict_or_yet_to_review(
        app, cycle, submitted, reviewer, second_reviewer, clock):
    clock.after_deadline()
    reviewing.save_review(second_reviewer, submitted, scores(cycle, 5, 5), "")
    page = signed_in(app, reviewer).get(f"/awards/{cycle.id}/ranking").get_data(as_text=True)
    assert "review it to see the scores" in page and "5.00" not in page
    reviewing.declare_conflict(reviewer, submitted, "")
    page = signed_in(app, reviewer).get(f"/awards/{cycle.id}/ranking").get_data(as_text=True)
    assert "conflict of interest" in page and "5.00" not in page


def test_a_member_opening_the_ranking_gets_403(app, cycle, member, clock):
    clock.after_deadline()
    assert signed_in(app, member).get(f"/awards/{cycle.id}/ranking").status_code == 403


def test_the_discussion_is_for_the_committee_only(app, cycle, submitted, reviewer, make_user,
                                                  clock):
    clock.after_deadline()
    client = signed_in(app, reviewer)
    assert client.post(f"/awards/n/{submitted.id}/discussion",
                       data={"body": "Shall we shortlist?"}).status_code == 302
    assert "Shall we shortlist?" in client.get(f"/awards/n/{submitted.id}").get_data(
        as_text=True)
    nominator_page = signed_in(app, submitted.nominator).get(f"/awards/n/{submitted.id}")
    assert "Shall we shortlist?" not in nominator_page.get_data(as_text=True)
    compatriot = with_profile(make_user(roles=("committee",)), "Hanoi University", "VN")
    other = signed_in(app, compatriot)
    assert "Shall we shortlist?" not in other.get(f"/awards/n/{submitted.id}").get_data(
        as_text=True)
    assert other.post(f"/awards/n/{submitted.id}/discussion",
                      data={"body": "hi"}).status_code == 403


def test_nominators_never_see_reviews_or_reviewers(app, cycle, submitted, reviewer, clock):
    clock.after_deadline()
    reviewing.save_review(reviewer, submitted, scores(cycle, 1, 1), "Weak case, sadly")
    page = signed_in(app, submitted.nominator).get(f"/awards/n/{submitted.id}").get_data(
        as_text=True)
    for secret in ("Weak case, sadly", "Ingrid Larsen", "pen-review-panel", "Reviews"):
        assert secret not in page
