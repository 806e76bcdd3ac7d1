"""Nominating: drafts, explicit submission with a receipt, edits until the deadline, withdrawal.

Everything a nominator does goes through ``save`` (a draft, or ``submit=True``),
``withdraw`` and ``discard``. Intake ends at the closing moment plus the grace
period nobody is told about; after it every change is refused with the
published deadline shown.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit, files, i18n, mail, markup
from ..auth.models import User, UserStatus
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..members import countries
from ..members.models import Profile
from ..notifications.service import absolute_url, path_for
from ..vocabulary import label as vocab
from . import clock, permissions, uploads
from .models import (
    AwardCategory,
    AwardCycle,
    FormQuestion,
    Nomination,
    NominationAnswer,
    NominationDocument,
    NominationStatus,
    NomineeKind,
    QuestionKind,
)
from .uploads import Upload

STATEMENT_MAX = 20_000
ANSWER_MAX = 5_000


class NominationInvalid(ValidationError):
    """Several fields of a nomination need attention: ``errors`` maps field to message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), next(iter(errors)))
        self.errors = errors


@dataclass
class NominationInput:
    """A nomination as typed; ``nominee_member`` is a member's email or directory name."""

    category_id: int | None
    nominee_kind: str = NomineeKind.MEMBER
    nominee_member: str = ""
    nominee_name: str = ""
    nominee_organisation: str = ""
    nominee_country: str = ""
    nominee_email: str = ""
    statement: str = ""
    answers: dict[int, str] = field(default_factory=dict)
    uploads: dict[int, Upload] = field(default_factory=dict)


def deadline_refusal(cycle: AwardCycle) -> Forbidden:
    """The 403 given after intake ends, with the published deadline in the cycle's zone."""
    return Forbidden(_("Nominations for %(cycle)s closed on %(deadline)s.", cycle=cycle.name,
                       deadline=i18n.format_moment(cycle.closes_at, cycle.time_zone)))


def check_may_write(user, cycle: AwardCycle, nomination: Nomination | None) -> None:
    """Refuse (403, saying why: the deadline, the opening, not yours) unless ``user`` may
    start a nomination in ``cycle`` or change ``nomination``."""
    if nomination is None and permissions.can_nominate(user, cycle):
        return
    if nomination is not None and permissions.can_edit_nomination(user, nomination):
        return
    if nomination is not None and nomination.nominator_id != user.id:
        raise Forbidden(_("Only its nominator can change a nomination."))
    if nomination is not None and nomination.status == NominationStatus.WITHDRAWN:
        raise Forbidden(_("This nomination was withdrawn."))
    if not clock.has_opened(cycle):
        raise Forbidden(_("Nominations for %(cycle)s open on %(opens)s.", cycle=cycle.name,
                          opens=i18n.format_moment(cycle.opens_at, cycle.time_zone)))
    raise deadline_refusal(cycle)


def _profile(user_id: int) -> Profile | None:
    return db.session.get(Profile, user_id)


def find_member(text: str) -> User | None:
    """The active member with this email or exact directory name; None if not one member."""
    key = " ".join(text.split()).casefold()
    by_email = select(User).where(func.lower(User.email) == key)
    found = db.session.scalar(by_email.where(User.status == UserStatus.ACTIVE))
    if found is not None:
        return found
    named = db.session.scalars(select(User).where(
        func.lower(User.display_name) == key, User.status == UserStatus.ACTIVE).limit(2)).all()
    return named[0] if len(named) == 1 else None


def _category_name(category) -> str:
    """The category's name in the reader's language."""
    return vocab("award_category", category.id, category.name)


def _member_nominee(user, category, data, errors) -> dict:
    if data.nominee_kind == NomineeKind.SELF:
        if not category.allow_self:
            errors["nominee_kind"] = _("%(category)s does not accept self-nominations.",
                                       category=_category_name(category))
            return {}
        found = user
    elif not data.nominee_member.strip():
        return {"nominee_user_id": None, "nominee_name": ""}
    else:
        found = find_member(data.nominee_member)
        if found is None:
            errors["nominee_member"] = _("No single member matches “%(text)s”: use the email "
                                         "or the name as in the directory.",
                                         text=data.nominee_member.strip())
            return {}
        if found.id == user.id and not category.allow_self:
            errors["nominee_member"] = _("%(category)s does not accept self-nominations.",
                                         category=_category_name(category))
            return {}
    profile = _profile(found.id)
    return {"nominee_user_id": found.id, "nominee_name": found.display_name,
            "nominee_organisation": profile.organisation if profile else "",
            "nominee_country": profile.country if profile else None, "nominee_email": ""}


def _outside_nominee(data: NominationInput, errors: dict) -> dict:
    name = " ".join(data.nominee_name.split())
    if len(name) > 200:
        errors["nominee_name"] = _("A name has at most 200 characters.")
    country = data.nominee_country or None
    if country and country not in dict(countries.choices()):
        errors["nominee_country"] = _("Choose a country from the list.")
    email = data.nominee_email.strip()
    if email and ("@" not in email or len(email) > 254 or " " in email):
        errors["nominee_email"] = _("This is not an email address.")
    organisation = name if data.nominee_kind == NomineeKind.ORGANISATION else \
        " ".join(data.nominee_organisation.split())[:200]
    return {"nominee_user_id": None, "nominee_name": name, "nominee_email": email,
            "nominee_organisation": organisation, "nominee_country": country}


def _nominee(user, category: AwardCategory, data: NominationInput, errors: dict) -> dict:
    if data.nominee_kind not in set(NomineeKind):
        errors["nominee_kind"] = _("Choose who you nominate.")
        return {}
    if data.nominee_kind in (NomineeKind.MEMBER, NomineeKind.SELF):
        return _member_nominee(user, category, data, errors)
    return _outside_nominee(data, errors)


def _category(cycle: AwardCycle, category_id: int | None, errors: dict) -> AwardCategory | None:
    category = next((c for c in cycle.categories if c.id == category_id), None)
    if category is None:
        errors["category"] = _("Choose a category.")
    return category


def _answers(cycle: AwardCycle, given: dict[int, str], errors: dict) -> dict[int, str]:
    answers = {}
    for question in cycle.questions:
        value = (given.get(question.id) or "").strip()
        if question.kind == QuestionKind.FILE or not value:
            continue
        if question.kind == QuestionKind.CHOICE and value not in question.choices:
            errors[f"q{question.id}"] = _("Choose one of the options.")
        elif len(value) > ANSWER_MAX:
            errors[f"q{question.id}"] = _("At most %(max)d characters.", max=ANSWER_MAX)
        answers[question.id] = value
    return answers


def _checked_uploads(cycle: AwardCycle, given: dict, errors: dict) -> dict:
    file_questions = {q.id for q in cycle.questions if q.kind == QuestionKind.FILE}
    checked = {}
    for question_id, upload in given.items():
        if question_id not in file_questions or not upload.filename:
            continue
        try:
            checked[question_id] = (upload, uploads.check(upload))
        except files.UploadRefused as exc:
            errors[f"q{question_id}"] = exc.message
    return checked


def _require_complete(cycle, nomination, nominee, data, answers, checked, errors) -> None:
    """What a submitted nomination must have: a nominee, a statement, the required answers."""
    if not nominee.get("nominee_name") and "nominee_member" not in errors:
        field_name = "nominee_member" if data.nominee_kind == NomineeKind.MEMBER \
            else "nominee_name"
        errors.setdefault(field_name, _("Say whom you nominate."))
    if not data.statement.strip():
        errors.setdefault("statement", _("Say why they deserve the award."))
    have_files = {d.question_id for d in (nomination.documents if nomination else [])}
    for question in (q for q in cycle.questions if q.required):
        present = question.id in checked or question.id in have_files \
            if question.kind == QuestionKind.FILE else question.id in answers
        if not present:
            errors.setdefault(f"q{question.id}", _("This question needs an answer."))


def save(user, cycle: AwardCycle, data: NominationInput, nomination: Nomination | None = None,
         submit: bool = False) -> Nomination:
    """Save a draft (or the changes to a submitted nomination); ``submit`` submits it."""
    check_may_write(user, cycle, nomination)
    errors: dict[str, str] = {}
    category = _category(cycle, data.category_id, errors)
    nominee = _nominee(user, category, data, errors) if category else {}
    answers = _answers(cycle, data.answers, errors)
    checked = _checked_uploads(cycle, data.uploads, errors)
    if len(data.statement) > STATEMENT_MAX:
        errors["statement"] = _("At most %(max)d characters.", max=STATEMENT_MAX)
    submitting = submit or (nomination is not None and nomination.status != NominationStatus.DRAFT)
    if submitting:
        _require_complete(cycle, nomination, nominee, data, answers, checked, errors)
    if errors:
        raise NominationInvalid(errors)
    return _write(user, cycle, nomination, category, nominee, data, answers, checked, submitting)


def _write(user, cycle, nomination, category, nominee, data, answers, checked, submitting):
    first_submission = nomination is None or nomination.status == NominationStatus.DRAFT
    nomination = nomination or Nomination(cycle=cycle, nominator_id=user.id,
                                          status=NominationStatus.DRAFT)
    db.session.add(nomination)
    for name, value in {**nominee, "nominee_kind": data.nominee_kind}.items():
        setattr(nomination, name, value)
    nomination.category = category
    nomination.statement = data.statement.strip()
    nomination.statement_html = markup.render(nomination.statement)
    nomination.answers = [NominationAnswer(question_id=qid, value=value)
                          for qid, value in answers.items()]
    nomination.updated_at = clock.now()
    replaced = _attach(nomination, checked)
    db.session.flush()
    if submitting:
        _mark_submitted(user, nomination, first_submission)
    else:
        audit.record(user, "award.nomination.draft", nomination, cycle_id=cycle.id)
    _commit_or_forget(list(replaced.values()), [d.stored_name for d in nomination.documents
                                                if d.question_id in checked])
    return nomination


def _attach(nomination: Nomination, checked: dict) -> dict[int, str]:
    """Store the new documents; return the stored names they replace (removed on commit)."""
    replaced = {d.question_id: d.stored_name for d in nomination.documents
                if d.question_id in checked}
    kept = [d for d in nomination.documents if d.question_id not in checked]
    added = []
    for question_id, (upload, kind) in checked.items():
        added.append(NominationDocument(
            question_id=question_id, filename=files.safe_filename(upload.filename, "document"),
            stored_name=uploads.store(upload, kind), kind=kind.kind, size=len(upload.data)))
    nomination.documents = kept + added
    return replaced


def _commit_or_forget(old_files: list[str], new_files: list[str]) -> None:
    """Commit; then drop replaced files. If the commit fails, drop the new files instead."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        for name in new_files:
            files.delete("awards", name)
        raise
    for name in old_files:
        files.delete("awards", name)


def _mark_submitted(user, nomination: Nomination, first: bool) -> None:
    if first:
        nomination.status = NominationStatus.SUBMITTED
        nomination.submitted_at = clock.now()
    audit.record(user, "award.nomination.submit" if first else "award.nomination.update",
                 nomination, cycle_id=nomination.cycle_id, category_id=nomination.category_id)
    send_receipt(nomination, updated=not first)


def send_receipt(nomination: Nomination, updated: bool = False) -> None:
    """Email the nominator a copy of what they submitted (through the outbox)."""
    with i18n.for_recipient(db.session.get(User, nomination.nominator_id)):
        _queue_receipt(nomination, updated)


def _queue_receipt(nomination: Nomination, updated: bool) -> None:
    cycle = nomination.cycle
    questions = {q.id: q for q in cycle.questions}
    subject = _("Your nomination for %(cycle)s has been updated", cycle=cycle.name) if updated \
        else _("We received your nomination for %(cycle)s", cycle=cycle.name)
    mail.queue_template(
        nominator_email(nomination), subject, "awards_receipt", nomination=nomination,
        cycle=cycle, updated=updated, deadline=i18n.format_moment(cycle.closes_at, cycle.time_zone),
        answers=[(questions[a.question_id].label, a.value) for a in nomination.answers
                 if a.question_id in questions],
        documents=[(questions[d.question_id].label, d.filename) for d in nomination.documents
                   if d.question_id in questions],
        link=absolute_url(path_for("awards.nomination", nomination_id=nomination.id)))


def nominator_email(nomination: Nomination) -> str:
    """Where mail about a nomination goes."""
    return db.session.get(User, nomination.nominator_id).email


def check_withdraw(user, nomination: Nomination) -> None:
    """Forbidden unless ``user`` may withdraw the nomination now."""
    if not permissions.can_withdraw(user, nomination):
        raise Forbidden(_("This nomination cannot be withdrawn."))


def check_discard(user, nomination: Nomination) -> None:
    """Forbidden unless the nomination is a draft and ``user`` its nominator."""
    if nomination.nominator_id != user.id or nomination.status != NominationStatus.DRAFT:
        raise Forbidden(_("Only drafts can be discarded, by their nominator."))


def withdraw(user, nomination: Nomination) -> None:
    """The nominator withdraws a submitted nomination (until a decision is made)."""
    check_withdraw(user, nomination)
    nomination.status = NominationStatus.WITHDRAWN
    nomination.withdrawn_at = clock.now()
    audit.record(user, "award.nomination.withdraw", nomination, cycle_id=nomination.cycle_id)
    db.session.commit()


def discard(user, nomination: Nomination) -> None:
    """The nominator deletes a draft, with its documents."""
    check_discard(user, nomination)
    stored = [d.stored_name for d in nomination.documents]
    audit.record(user, "award.nomination.discard", nomination, cycle_id=nomination.cycle_id)
    db.session.delete(nomination)
    db.session.commit()
    for name in stored:
        files.delete("awards", name)


def mine(user, cycle: AwardCycle) -> list[Nomination]:
    """The member's own nominations in a cycle, newest first."""
    return list(db.session.scalars(select(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.nominator_id == user.id)
        .order_by(Nomination.created_at.desc())))


def questions_by_id(cycle: AwardCycle) -> dict[int, FormQuestion]:
    """The cycle's questions by id."""
    return {q.id: q for q in cycle.questions}
