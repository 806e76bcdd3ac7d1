"""Who may see and do what in the awards: the visibility rules and named predicates.

Two kinds have a ``pen.visibility`` rule, registered on the app: a nomination
("award_nomination": its nominator, drafts included; administrators, once it is
submitted; the committee, while submitted, once its cycle's review has opened)
and a cycle's results ("award_results": members once announced, administrators
before). The nomination page, its documents and the home feed ask them. The
other predicates: ``can_view_cycle``,
``can_view_reviews`` (the others' scores and comments: administrators, and
committee members without a conflict who have submitted their own review),
``can_view_discussion`` (committee without conflict, administrators) and
``can_view_winners``. Nominators never see reviews, reviewers or discussion.
"""

from flask import g, has_request_context
from sqlalchemy import select

from .. import visibility
from ..auth.permissions import is_admin, is_committee, is_member, register_predicate
from ..extensions import db
from ..visibility import AllOf, AnyOf, In, Is, IsSet, Rule, UserIs
from . import clock, conflicts
from .models import AwardCycle, Nomination, NominationStatus

NOMINATION_KIND, RESULTS_KIND = "award_nomination", "award_results"


def _own_id(user) -> set[int]:
    """The user's own id: a nominator sees their nominations, drafts included."""
    return {user.id} if is_member(user) else set()


def cycles_in_review(user) -> set[int]:
    """For committee members, the cycles whose review has opened (a clock's question,
    asked of the few cycles there are, once per request); nothing for anyone else."""
    if not is_committee(user):
        return set()
    if not has_request_context():  # commands, the worker and tests: always fresh
        return _cycles_in_review()
    if "_award_cycles_in_review" not in g:
        g._award_cycles_in_review = _cycles_in_review()
    return g._award_cycles_in_review


def _cycles_in_review() -> set[int]:
    """The ids of the cycles whose review has opened, now."""
    return {c.id for c in db.session.scalars(select(AwardCycle)) if clock.review_open(c)}


SUBMITTED = Is("submitted", Nomination.status, NominationStatus.SUBMITTED)
WITHDRAWN = Is("withdrawn", Nomination.status, NominationStatus.WITHDRAWN)
NOMINATION_RULE = Rule(
    NOMINATION_KIND, Nomination,
    UserIs("member", is_member),
    AnyOf(In("nominator", Nomination.nominator_id, _own_id),          # their own, drafts too
          AllOf(AnyOf(SUBMITTED, WITHDRAWN), UserIs("admin", is_admin)),  # never a draft
          AllOf(SUBMITTED, In("review", Nomination.cycle_id, cycles_in_review))),
)
ANNOUNCED = IsSet("announced", AwardCycle.announced_at)
RESULTS_RULE = Rule(RESULTS_KIND, AwardCycle, UserIs("member", is_member),
                    AnyOf(ANNOUNCED, UserIs("admin", is_admin)))


def register_rules(app) -> None:
    """Register the awards' visibility rules on ``app``."""
    visibility.register_rule(app, NOMINATION_KIND, NOMINATION_RULE)
    visibility.register_rule(app, RESULTS_KIND, RESULTS_RULE)


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
    """Whether ``user`` may open ``nomination``: the registered rule."""
    return visibility.rule_for(NOMINATION_KIND).can(user, nomination)


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
    """Whether ``user`` may see the cycle's results: the registered rule."""
    return visibility.rule_for(RESULTS_KIND).can(user, cycle)


PREDICATES = {
    "manage_awards": can_manage_awards, "view_award_cycle": can_view_cycle,
    "nominate": can_nominate, "view_nomination": can_view_nomination,
    "edit_nomination": can_edit_nomination, "withdraw_nomination": can_withdraw,
    "review_nomination": can_review, "view_nomination_discussion": can_view_discussion,
    "declare_conflict": can_declare_conflict, "view_award_ranking": can_view_ranking,
    "view_award_winners": can_view_winners,
}


def register_predicates(app) -> None:
    """Expose the predicates to templates as ``can.nominate(cycle)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(app, name, predicate)
