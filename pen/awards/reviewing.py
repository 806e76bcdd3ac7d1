"""The Advisory Committee's review: scores on the rubric, conflicts, discussion, ranking.

A reviewer sees the others' scores only once their own review is in, may revise
until the review closes, and is kept out of a nomination they are in conflict
with. Reviews of reviewers in conflict never count in the ranking.
"""

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from .. import audit, markup
from ..auth.models import User
from ..errors import Forbidden, ValidationError
from ..extensions import db
from . import clock, conflicts, permissions
from .models import (
    AwardCycle,
    DiscussionPost,
    Nomination,
    NominationStatus,
    Review,
    ReviewScore,
)

SCALE = range(1, 6)
COMMENT_MAX = 10_000
POST_MAX = 10_000


class ScoresInvalid(ValidationError):
    """Scores missing or outside the scale: ``errors`` maps ``c<criterion id>`` to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), next(iter(errors)))
        self.errors = errors


def own_review(user, nomination: Nomination) -> Review | None:
    """The reviewer's own review of a nomination, if written."""
    return db.session.scalar(select(Review).where(Review.nomination_id == nomination.id,
                                                  Review.reviewer_id == user.id))


def weighted_mean(scores: dict[int, int], weights: dict[int, int]) -> float:
    """The weighted mean of one review's scores (criterion id -> score)."""
    total = sum(weights[cid] for cid in scores)
    return sum(score * weights[cid] for cid, score in scores.items()) / total if total else 0.0


def _checked_scores(nomination: Nomination, given: dict[int, object]) -> dict[int, int]:
    errors, scores = {}, {}
    for criterion in nomination.cycle.criteria:
        raw = given.get(criterion.id)
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            errors[f"c{criterion.id}"] = _("Give a score from 1 to 5.")
            continue
        if value not in SCALE:
            errors[f"c{criterion.id}"] = _("%(value)d is outside the scale: scores go from 1 "
                                           "to 5.", value=value)
        scores[criterion.id] = value
    if errors:
        raise ScoresInvalid(errors)
    return scores


def save_review(user, nomination: Nomination, given: dict[int, object], comment: str) -> Review:
    """Submit (or revise) the reviewer's scores and comment."""
    if not permissions.can_review(user, nomination):
        raise Forbidden(_("You cannot review this nomination: you are in conflict with it, "
                          "or the review is not running."))
    if not nomination.cycle.criteria:
        raise ValidationError(_("This cycle has no rubric yet."))
    scores = _checked_scores(nomination, given)
    if len(comment) > COMMENT_MAX:
        raise ScoresInvalid({"comment": _("At most %(max)d characters.", max=COMMENT_MAX)})
    review = own_review(user, nomination)
    revising = review is not None
    review = review or Review(nomination_id=nomination.id, reviewer_id=user.id)
    db.session.add(review)
    review.scores = [ReviewScore(criterion_id=cid, score=s) for cid, s in scores.items()]
    review.comment, review.comment_html = comment.strip(), markup.render(comment.strip())
    weights = {c.id: c.weight for c in nomination.cycle.criteria}
    review.weighted = weighted_mean(scores, weights)
    review.updated_at = clock.now()
    db.session.flush()
    audit.record(user, "award.review.revise" if revising else "award.review.submit", review,
                 nomination_id=nomination.id, weighted=round(review.weighted, 3))
    db.session.commit()
    return review


def visible_reviews(user, nomination: Nomination) -> list[Review]:
    """The reviews ``user`` may read (others' only after their own); empty otherwise."""
    mine = own_review(user, nomination)
    if not permissions.can_view_reviews(user, nomination, mine is not None):
        return [mine] if mine else []
    reviews = db.session.scalars(select(Review).where(Review.nomination_id == nomination.id)
                                 .order_by(Review.submitted_at))
    return list(reviews)


def declare_conflict(user, nomination: Nomination, reason: str) -> None:
    """A committee member declares a conflict of interest with a nomination."""
    if not permissions.can_declare_conflict(user, nomination):
        raise Forbidden(_("Only committee members reviewing this cycle declare conflicts."))
    row = conflicts.conflict_row(nomination, user.id)
    row.declared, row.reason = True, " ".join((reason or "").split())[:500]
    db.session.flush()
    audit.record(user, "award.conflict.declare", row, nomination_id=nomination.id)
    db.session.commit()


def clear_conflict(actor, nomination: Nomination, reviewer: User) -> None:
    """An administrator clears a flagged conflict (a declared one stays)."""
    if not permissions.can_manage_awards(actor):
        raise Forbidden(_("Only administrators clear conflicts."))
    row = conflicts.conflict_row(nomination, reviewer.id)
    if row.declared:
        raise ValidationError(_("%(name)s declared this conflict; it stays.",
                                name=reviewer.display_name))
    row.cleared_at, row.cleared_by_id = clock.now(), actor.id
    db.session.flush()
    audit.record(actor, "award.conflict.clear", row, nomination_id=nomination.id,
                 reviewer_id=reviewer.id)
    db.session.commit()


def committee_members() -> list[User]:
    """Active members holding the committee role, by name."""
    from ..auth.models import Role, UserStatus, user_roles

    stmt = (select(User).join(user_roles, user_roles.c.user_id == User.id)
            .join(Role, Role.id == user_roles.c.role_id)
            .where(Role.name == "committee", User.status == UserStatus.ACTIVE)
            .order_by(User.display_name))
    return list(db.session.scalars(stmt))


def post_discussion(user, nomination: Nomination, body: str) -> DiscussionPost:
    """Add a message to the committee's thread on a nomination."""
    if not permissions.can_view_discussion(user, nomination):
        raise Forbidden(_("The discussion is for committee members without a conflict."))
    body = (body or "").strip()
    if not body or len(body) > POST_MAX:
        raise ValidationError(_("Write 1 to %(max)d characters.", max=POST_MAX), "body")
    post = DiscussionPost(nomination_id=nomination.id, author_id=user.id, body=body,
                          body_html=markup.render(body), created_at=clock.now())
    db.session.add(post)
    db.session.flush()
    audit.record(user, "award.discussion.post", post, nomination_id=nomination.id)
    db.session.commit()
    return post


def discussion(nomination: Nomination) -> list[DiscussionPost]:
    """The committee's thread on a nomination, oldest first."""
    return list(db.session.scalars(select(DiscussionPost).where(
        DiscussionPost.nomination_id == nomination.id).order_by(DiscussionPost.id)))


@dataclass
class RankRow:
    """One nomination in the ranking."""

    nomination: Nomination
    mean: float | None
    spread: float | None
    count: int
    hidden: str | None = None  # "conflict" or "unreviewed": scores kept from this viewer


def submitted(cycle: AwardCycle) -> list[Nomination]:
    """The cycle's submitted nominations, by category then submission (their answers
    and documents are not read: the ranking shows neither)."""
    return list(db.session.scalars(select(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED)
        .order_by(Nomination.category_id, Nomination.submitted_at, Nomination.id)
        .options(lazyload(Nomination.answers), lazyload(Nomination.documents))))


def ranking(cycle: AwardCycle, viewer=None) -> dict[int, list[RankRow]]:
    """Per category id: nominations by weighted mean (best first), with spread and count.

    Reviews by reviewers in conflict are left out. A committee member sees no
    scores of a nomination they are in conflict with, nor of one they have not
    reviewed yet (the others' scores come after their own).
    """
    nominations = submitted(cycle)
    reviews = db.session.execute(select(Review.nomination_id, Review.reviewer_id,
                                        Review.weighted).join(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED)).all()
    reviewer_ids = {r.reviewer_id for r in reviews} | ({viewer.id} if viewer else set())
    states = conflicts.states(nominations, reviewer_ids)
    counted, reviewed_by = defaultdict(list), defaultdict(set)
    for row in reviews:
        reviewed_by[row.nomination_id].add(row.reviewer_id)
        if not states[(row.nomination_id, row.reviewer_id)].restricted:
            counted[row.nomination_id].append(row.weighted)
    table, judge = defaultdict(list), _viewer_judge(viewer)
    for nomination in nominations:
        hidden = judge and _hidden_from(judge, nomination, states, reviewed_by[nomination.id])
        values = [] if hidden else counted[nomination.id]
        table[nomination.category_id].append(RankRow(
            nomination, sum(values) / len(values) if values else None,
            max(values) - min(values) if values else None, len(values), hidden))
    for rows in table.values():
        rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0), r.nomination.id))
    return dict(table)


def _viewer_judge(viewer):
    """The viewer from whom scores may be kept (None: administrators and exports see all)."""
    return None if viewer is None or permissions.can_manage_awards(viewer) else viewer


def _hidden_from(viewer, nomination, states, reviewers: set[int]) -> str | None:
    """Why a row's scores are kept from ``viewer`` (None: shown)."""
    if states[(nomination.id, viewer.id)].restricted:
        return "conflict"
    return None if viewer.id in reviewers else "unreviewed"


def reviewed_ids(user, cycle: AwardCycle) -> set[int]:
    """Ids of the cycle's nominations ``user`` has reviewed."""
    return set(db.session.scalars(select(Review.nomination_id).join(Nomination).where(
        Nomination.cycle_id == cycle.id, Review.reviewer_id == user.id)))
