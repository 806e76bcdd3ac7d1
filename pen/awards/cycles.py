"""Setting up award cycles: dates in a chosen zone, categories, questions, rubric.

Administrators only; every change is audited. What nominations or reviews
already depend on (a category with nominations, the rubric once scored) cannot
be removed.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from .. import audit, markup
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..vocabulary import forget_term
from . import clock, permissions
from .models import (
    AwardCategory,
    AwardCycle,
    FormQuestion,
    Nomination,
    QuestionKind,
    Review,
    RubricCriterion,
)

MAX_GRACE_MINUTES = 24 * 60
MAX_WEIGHT = 10


@dataclass
class CycleInput:
    """A cycle's settings as typed: local wall-clock times in ``time_zone``."""

    name: str
    description: str
    time_zone: str
    opens_local: datetime
    closes_local: datetime
    grace_minutes: int = 30


def _require_admin(actor) -> None:
    if not permissions.can_manage_awards(actor):
        raise Forbidden(_("Only administrators set up the awards."))


def visible_cycles(user) -> list[AwardCycle]:
    """The cycles this member may see, newest first."""
    cycles = db.session.scalars(select(AwardCycle).order_by(AwardCycle.opens_at.desc()))
    return [c for c in cycles if permissions.can_view_cycle(user, c)]


def _validated(data: CycleInput, current: AwardCycle | None) -> tuple[datetime, datetime]:
    name = " ".join(data.name.split())
    if not 3 <= len(name) <= 120:
        raise ValidationError(_("A name has 3 to 120 characters."), "name")
    clash = select(AwardCycle.id).where(func.lower(AwardCycle.name) == name.lower())
    if current is not None:
        clash = clash.where(AwardCycle.id != current.id)
    if db.session.scalar(clash) is not None:
        raise ValidationError(_("There is already a cycle called %(name)s.", name=name), "name")
    clock.zone(data.time_zone)
    opens = clock.to_utc(data.opens_local, data.time_zone, "opens")
    closes = clock.to_utc(data.closes_local, data.time_zone, "closes")
    if closes <= opens:
        raise ValidationError(_("The call must close after it opens."), "closes")
    if not 0 <= data.grace_minutes <= MAX_GRACE_MINUTES:
        raise ValidationError(_("The grace period is 0 to %(max)d minutes.",
                                max=MAX_GRACE_MINUTES), "grace_minutes")
    return opens, closes


def _apply(cycle: AwardCycle, data: CycleInput, opens: datetime, closes: datetime) -> None:
    cycle.name = " ".join(data.name.split())
    cycle.description = data.description
    cycle.description_html = markup.render(data.description)
    cycle.time_zone = data.time_zone
    cycle.opens_at, cycle.closes_at = opens, closes
    cycle.grace_minutes = data.grace_minutes


def create_cycle(actor, data: CycleInput) -> AwardCycle:
    """Open a new cycle (its call starts at ``opens``)."""
    _require_admin(actor)
    opens, closes = _validated(data, None)
    cycle = AwardCycle()
    _apply(cycle, data, opens, closes)
    db.session.add(cycle)
    db.session.flush()
    audit.record(actor, "award.cycle.create", cycle, name=cycle.name,
                 opens=opens.isoformat(), closes=closes.isoformat())
    db.session.commit()
    return cycle


def update_cycle(actor, cycle: AwardCycle, data: CycleInput) -> None:
    """Change a cycle's name, description, zone, dates or grace period."""
    _require_admin(actor)
    opens, closes = _validated(data, cycle)
    _apply(cycle, data, opens, closes)
    audit.record(actor, "award.cycle.update", cycle, opens=opens.isoformat(),
                 closes=closes.isoformat(), grace_minutes=cycle.grace_minutes)
    db.session.commit()


def local_times(cycle: AwardCycle) -> dict:
    """The cycle's moments as naive wall-clock times in its zone, to fill the form."""
    return {name: clock.in_zone(getattr(cycle, f"{name}_at"), cycle.time_zone)
            .replace(tzinfo=None) for name in ("opens", "closes")}


def _text(value: str, field: str, low: int, high: int) -> str:
    value = " ".join((value or "").split())
    if not low <= len(value) <= high:
        raise ValidationError(_("Use %(low)d to %(high)d characters.", low=low, high=high), field)
    return value


def add_category(actor, cycle: AwardCycle, name: str, description: str = "",
                 eligibility: str = "", allow_self: bool = False) -> AwardCategory:
    """Add a category with what it rewards and who is eligible."""
    _require_admin(actor)
    category = AwardCategory(
        cycle=cycle, name=_text(name, "name", 3, 120), description=description,
        description_html=markup.render(description), eligibility=eligibility,
        eligibility_html=markup.render(eligibility), allow_self=allow_self,
        position=len(cycle.categories))
    db.session.add(category)
    db.session.flush()
    audit.record(actor, "award.category.create", category, cycle_id=cycle.id, name=category.name)
    db.session.commit()
    return category


def remove_category(actor, category: AwardCategory) -> None:
    """Remove a category that no nomination uses yet."""
    _require_admin(actor)
    if db.session.scalar(select(exists().where(Nomination.category_id == category.id))):
        raise ValidationError(_("Nominations use this category; it cannot be removed."))
    audit.record(actor, "award.category.delete", category, name=category.name)
    forget_term("award_category", category.id)
    db.session.delete(category)
    db.session.commit()


def _choices(kind: str, raw: str) -> list[str]:
    if kind != QuestionKind.CHOICE:
        return []
    options = list(dict.fromkeys(line.strip() for line in (raw or "").splitlines() if line.strip()))
    if len(options) < 2:
        raise ValidationError(_("Give at least two choices, one per line."), "choices")
    return options


def add_question(actor, cycle: AwardCycle, label: str, kind: str, choices: str = "",
                 required: bool = False) -> FormQuestion:
    """Add a question to the nomination form: text, a choice, or a document (PDF, DOCX)."""
    _require_admin(actor)
    if kind not in set(QuestionKind):
        raise ValidationError(_("Choose text, choice or file."), "kind")
    question = FormQuestion(cycle_id=cycle.id, label=_text(label, "label", 3, 300), kind=kind,
                            choices=_choices(kind, choices), required=required,
                            position=len(cycle.questions))
    db.session.add(question)
    db.session.flush()
    audit.record(actor, "award.question.create", question, cycle_id=cycle.id, kind=kind)
    db.session.commit()
    return question


def remove_question(actor, question: FormQuestion) -> None:
    """Remove a question while no nomination has been submitted in the cycle."""
    _require_admin(actor)
    if db.session.scalar(select(exists().where(Nomination.cycle_id == question.cycle_id,
                                               Nomination.submitted_at.is_not(None)))):
        raise ValidationError(_("Nominations have been submitted; the form cannot lose a "
                                "question now."))
    audit.record(actor, "award.question.delete", question, label=question.label)
    db.session.delete(question)
    db.session.commit()


def add_criterion(actor, cycle: AwardCycle, name: str, description: str = "",
                  weight: int = 1) -> RubricCriterion:
    """Add a rubric criterion, scored 1 to 5 and weighted ``weight`` (1 to 10)."""
    _require_admin(actor)
    if not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
        raise ValidationError(_("A weight is a whole number from 1 to %(max)d.", max=MAX_WEIGHT),
                              "weight")
    _require_unscored(cycle)
    criterion = RubricCriterion(cycle_id=cycle.id, name=_text(name, "name", 3, 200),
                                description=description, weight=weight,
                                position=len(cycle.criteria))
    db.session.add(criterion)
    db.session.flush()
    audit.record(actor, "award.criterion.create", criterion, cycle_id=cycle.id, weight=weight)
    db.session.commit()
    return criterion


def _require_unscored(cycle: AwardCycle) -> None:
    scored = select(exists().where(Review.nomination_id == Nomination.id,
                                   Nomination.cycle_id == cycle.id))
    if db.session.scalar(scored):
        raise ValidationError(_("Reviews have been written; the rubric cannot change now."))


def remove_criterion(actor, criterion: RubricCriterion) -> None:
    """Remove a criterion before anyone has scored."""
    _require_admin(actor)
    _require_unscored(db.session.get(AwardCycle, criterion.cycle_id))
    audit.record(actor, "award.criterion.delete", criterion, name=criterion.name)
    db.session.delete(criterion)
    db.session.commit()


def open_review(actor, cycle: AwardCycle) -> None:
    """Let the committee in before the deadline (it opens by itself at the deadline)."""
    _require_admin(actor)
    if cycle.review_opened_at is None:
        cycle.review_opened_at = clock.now()
        audit.record(actor, "award.review.open", cycle)
        db.session.commit()


def close_review(actor, cycle: AwardCycle) -> None:
    """End the review: scores can no longer be revised."""
    _require_admin(actor)
    if not clock.review_open(cycle):
        raise ValidationError(_("The review has not started yet."))
    if cycle.review_closed_at is None:
        cycle.review_closed_at = clock.now()
        audit.record(actor, "award.review.close", cycle)
        db.session.commit()
