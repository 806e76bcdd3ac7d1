"""Who may see and do what in the awards: named predicates built on ``auth``'s.

One visibility rule per kind: ``can_view_cycle``, ``can_view_nomination`` (the
nominator, administrators, and the committee once review opens),
``can_view_reviews`` (the others' scores and comments: administrators, and
committee members without a conflict who have submitted their own review),
``can_view_discussion`` (committee without conflict, administrators) and
``can_view_winners``. Nominators never see reviews, reviewers or discussion.
"""

from ..auth.permissions import is_admin, is_committee, is_member, register_predicate
from . import clock, conflicts
from .models import NominationStatus


def can_manage_awards(user) -> bool:
    """Administrators open cycles, set them up, decide and announce."""
    return is_admin(user)


def can_view_cycle(user, cycle) -> bool:
    """Members see a cycle once its call has opened; administrators from the start."""
    return is_admin(user) or (is_member(user) and clock.has_opened(cycle))


def can_nominate(user, cycle) -> bool:
    """Any member may nominate while the call is open."""
    return is_member(user) and clock.is_open(cycle)


def _is_nominator(user, nomination) -> bool:
    return is_member(user) and nomination.nominator_id == user.id


def _reviewable(user, nomination) -> bool:
    """A committee member's view: a submitted nomination of a cycle under review."""
    return (is_committee(user) and nomination.status == NominationStatus.SUBMITTED
            and clock.review_open(nomination.cycle))


def can_view_nomination(user, nomination) -> bool:
    """THE visibility rule of a nomination (drafts: their nominator alone)."""
    if _is_nominator(user, nomination):
        return True
    if nomination.status == NominationStatus.DRAFT:
        return False
    return is_admin(user) or _reviewable(user, nomination)


def can_edit_nomination(user, nomination) -> bool:
    """The nominator edits a draft or submitted nomination until the deadline (and grace)."""
    return (_is_nominator(user, nomination) and nomination.status != NominationStatus.WITHDRAWN
            and clock.is_open(nomination.cycle))


def can_withdraw(user, nomination) -> bool:
    """The nominator withdraws a submitted nomination until a decision is made."""
    return (_is_nominator(user, nomination) and nomination.status == NominationStatus.SUBMITTED
            and nomination.decision is None)


def is_restricted(user, nomination) -> bool:
    """True when a conflict (declared, or flagged and not cleared) keeps ``user`` out."""
    return conflicts.state(nomination, user.id).restricted


def can_review(user, nomination) -> bool:
    """Committee members without a conflict score while the review runs."""
    return (_reviewable(user, nomination) and clock.review_running(nomination.cycle)
            and not is_restricted(user, nomination))


def can_view_reviews(user, nomination, has_reviewed: bool) -> bool:
    """Others' scores: admins; committee without conflict once their own is in."""
    if is_admin(user):
        return can_view_nomination(user, nomination)
    return has_reviewed and _reviewable(user, nomination) and not is_restricted(user, nomination)


def can_view_discussion(user, nomination) -> bool:
    """The committee's thread: committee members without a conflict, and administrators."""
    if is_admin(user):
        return can_view_nomination(user, nomination)
    return _reviewable(user, nomination) and not is_restricted(user, nomination)


def can_declare_conflict(user, nomination) -> bool:
    """A committee member who sees a nomination may declare a conflict with it."""
    return _reviewable(user, nomination)


def can_view_ranking(user, cycle) -> bool:
    """The ranking: administrators, and the committee once review opens."""
    return is_admin(user) or (is_committee(user) and clock.review_open(cycle))


def can_view_winners(user, cycle) -> bool:
    """Winners are public to members once announced; administrators see them before."""
    return is_admin(user) or (is_member(user) and cycle.announced_at is not None)


PREDICATES = {
    "manage_awards": can_manage_awards, "view_award_cycle": can_view_cycle,
    "nominate": can_nominate, "view_nomination": can_view_nomination,
    "edit_nomination": can_edit_nomination, "withdraw_nomination": can_withdraw,
    "review_nomination": can_review, "view_nomination_discussion": can_view_discussion,
    "declare_conflict": can_declare_conflict, "view_award_ranking": can_view_ranking,
    "view_award_winners": can_view_winners,
}


def register_predicates() -> None:
    """Expose the predicates to templates as ``can.nominate(cycle)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(name, predicate)
