"""Decisions: shortlisted, winner, not selected; the nominators told; winners announced."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit, i18n, mail
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..notifications.service import absolute_url, path_for
from . import clock, permissions
from .models import AwardCycle, Decision, Nomination, NominationStatus

SUBJECTS = {
    Decision.WINNER: lambda cycle: _("Your nominee has won a %(cycle)s award", cycle=cycle),
    Decision.SHORTLISTED: lambda cycle: _("Your nominee is shortlisted for %(cycle)s",
                                          cycle=cycle),
    Decision.NOT_SELECTED: lambda cycle: _("The outcome of your nomination for %(cycle)s",
                                           cycle=cycle),
}


def _require_admin(actor) -> None:
    if not permissions.can_manage_awards(actor):
        raise Forbidden(_("Only administrators record decisions."))


def decide(actor, nomination: Nomination, decision: str | None) -> None:
    """Mark a submitted nomination shortlisted, winner or not selected (None: undecided)."""
    _require_admin(actor)
    if decision is not None and decision not in set(Decision):
        raise ValidationError(_("Choose shortlisted, winner or not selected."), "decision")
    if nomination.status != NominationStatus.SUBMITTED:
        raise ValidationError(_("Only submitted nominations receive a decision."))
    if not clock.review_open(nomination.cycle):
        raise ValidationError(_("Decisions come after the review has opened."))
    if nomination.decision == decision:
        return
    previous, nomination.decision = nomination.decision, decision
    nomination.decided_at = clock.now() if decision else None
    nomination.notified_at = None  # a changed decision is told again
    audit.record(actor, "award.nomination.decide", nomination, decision=decision,
                 previous=previous)
    db.session.commit()


def _undelivered(cycle: AwardCycle) -> list[Nomination]:
    """Decided nominations whose nominator was not told yet, with their nominators and
    categories (loaded in a query each, not one per nomination: the mails name them)."""
    return list(db.session.scalars(select(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED,
        Nomination.decision.is_not(None), Nomination.notified_at.is_(None))
        .options(selectinload(Nomination.nominator), selectinload(Nomination.category))
        .order_by(Nomination.id)))


def notify_nominators(actor, cycle: AwardCycle) -> int:
    """Email each nominator the decision on their nomination (once per decision)."""
    _require_admin(actor)
    undelivered = _undelivered(cycle)
    writing = i18n.recipients(nomination.nominator_id for nomination in undelivered)
    for nomination in undelivered:
        with i18n.for_recipient(nomination.nominator, writing[nomination.nominator_id]):
            mail.queue_template(
                nomination.nominator.email, SUBJECTS[Decision(nomination.decision)](cycle.name),
                f"awards_decision_{nomination.decision}", nomination=nomination, cycle=cycle,
                winners_link=absolute_url(path_for("awards.winners", cycle_id=cycle.id)),
                link=absolute_url(path_for("awards.nomination", nomination_id=nomination.id)))
        nomination.notified_at = clock.now()
        audit.record(actor, "award.nomination.notify", nomination, decision=nomination.decision)
    db.session.commit()
    return len(undelivered)


def announce(actor, cycle: AwardCycle) -> None:
    """Publish the winners to every member."""
    _require_admin(actor)
    if not winners(cycle):
        raise ValidationError(_("Mark at least one winner before announcing."))
    if cycle.announced_at is None:
        cycle.announced_at = clock.now()
        audit.record(actor, "award.cycle.announce", cycle, winners=len(winners(cycle)))
        db.session.commit()


def winners(cycle: AwardCycle) -> list[Nomination]:
    """The winning nominations, by category."""
    return list(db.session.scalars(select(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED,
        Nomination.decision == Decision.WINNER).order_by(Nomination.category_id,
                                                         Nomination.id)))


def decision_of(nomination: Nomination) -> str | None:
    """The decision a nominator may see: once they were told, or once announced."""
    if nomination.notified_at or (nomination.cycle.announced_at and nomination.decision):
        return nomination.decision
    return None
