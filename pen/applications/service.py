"""Applying to join: the form's time stamp, submitting, confirming the email, answering.

Plain values in, no ``request``: the views read forms and call these. Nothing
here is seen by the Secretariat until the applicant confirms their address;
confirmed, an application is checked against the members and the other
applications and flagged when it may be the same person again.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .. import audit, i18n
from ..auth import service as accounts
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from ..members import countries
from ..members import service as members
from ..members.models import Profile
from ..members.vocabulary import CONVENTION_ROLES, LANGUAGES, ORGANISATION_TYPES
from ..tokens import digest, new_token
from ..types import utcnow
from . import interests, letters
from .models import (
    ANSWER,
    EXPERTISE_MAX,
    INFO_REQUESTED,
    MESSAGE_MAX,
    MOTIVATION_MAX,
    NAME_MAX,
    OPEN_STATES,
    ORGANISATION_MAX,
    UNCONFIRMED,
    WAITING,
    Application,
    ApplicationMessage,
)

TOKEN_MAX = 128  # longer "tokens" are not ours
RESEND_AFTER = timedelta(minutes=10)  # one mail per application in this time, however asked
STAMP_MAX_AGE = timedelta(days=1)
NEW, RENEWED, ALREADY = "new", "renewed", "already"


# --- The time trap ----------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    """Signs the form's time stamp with the site's secret key."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="pen.applications.form")


def form_stamp(now: datetime) -> str:
    """The signed moment a form was shown, carried by the form itself."""
    return _serializer().dumps(now.timestamp())


def check_stamp(stamp: str | None, now: datetime) -> None:
    """Refuse a form sent faster than a person types, forged, or left open for days."""
    try:
        shown = float(_serializer().loads(stamp or ""))
    except (BadSignature, TypeError, ValueError):
        raise ValidationError(_("This form could not be checked. Please look over your answers "
                                "and send it again.")) from None
    age = now.timestamp() - shown
    if age < float(current_app.config["APPLICATION_MIN_SECONDS"]):
        raise ValidationError(_("That was faster than a person can fill in this form. Please "
                                "look over your answers and send it again."))
    if age > STAMP_MAX_AGE.total_seconds():
        raise ValidationError(_("This form was open for more than a day. Please look over your "
                                "answers and send it again."))


# --- Submitting -------------------------------------------------------------------------------


@dataclass
class Submission:
    """What the applicant wrote, as plain values."""

    name: str
    email: str
    organisation: str
    organisation_type: str
    country: str
    convention_role: str
    motivation: str
    locale: str
    expertise_ids: list[int] = field(default_factory=list)
    expertise_text: str = ""
    languages: list[str] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)


def _text(value: str, name: str, limit: int, required: bool = True) -> str:
    """A field's text, trimmed; a clear error if it is missing or too long."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("Please fill in this field."), field=name)
    if len(value) > limit:
        raise ValidationError(_("At most %(max)d characters, please (this has %(length)d).",
                                max=limit, length=len(value)), field=name)
    return value


def _check_choices(sub: Submission) -> None:
    """Each choice must be one the form offers."""
    checks = [
        ("organisation_type", sub.organisation_type in ORGANISATION_TYPES,
         _("Choose an organisation type from the list.")),
        ("country", sub.country in countries.REGION_OF, _("Choose a country from the list.")),
        ("convention_role", sub.convention_role in CONVENTION_ROLES,
         _("Choose your role from the list.")),
        ("languages", set(sub.languages) <= set(LANGUAGES), _("Choose languages from the list.")),
        ("locale", sub.locale in i18n.LANGUAGES, _("Choose one of the six languages.")),
        ("expertise", set(sub.expertise_ids) <= {t.id for t in members.vocabulary()},
         _("Choose areas of expertise from the list.")),
        ("groups", set(sub.group_ids) <= {i for i, _name in interests.group_choices()},
         _("Choose thematic groups from the list.")),
    ]
    for name, ok, message in checks:
        if not ok:
            raise ValidationError(message, field=name)


def validate(sub: Submission) -> Submission:
    """The submission cleaned (trimmed, email normalised), or a ``ValidationError``."""
    sub.name = " ".join(_text(sub.name, "name", NAME_MAX).split())
    sub.email = accounts.checked_email(_text(sub.email, "email", 254))
    sub.organisation = _text(sub.organisation, "organisation", ORGANISATION_MAX)
    sub.expertise_text = _text(sub.expertise_text, "expertise_text", EXPERTISE_MAX, False)
    sub.motivation = _text(sub.motivation, "motivation", MOTIVATION_MAX)
    _check_choices(sub)
    return sub


def person_key(name: str, country: str | None) -> str:
    """Name and country folded (case, accents, spacing): "José  Pérez", "jose perez" agree."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return f"{' '.join(plain.casefold().split())}|{country or ''}"[:NAME_MAX + 3]


def open_application(email: str) -> Application | None:
    """The undecided application from this (normalised) address, if any."""
    return db.session.scalar(select(Application).where(
        Application.email == email, Application.status.in_(OPEN_STATES)).limit(1))


def submit(sub: Submission) -> str:
    """Record an application and mail the confirmation link; never a second open one.

    Returns ``new``, ``renewed`` (an unconfirmed one from this address: its details are
    replaced, the link sent again) or ``already`` (one is with the Secretariat: the
    applicant is told so by mail). At most one mail per ``RESEND_AFTER`` either way.
    """
    validate(sub)
    found = open_application(sub.email)
    if found is not None and found.status != UNCONFIRMED:
        return _already(found)
    outcome = NEW if found is None else RENEWED
    if found is None:
        found = Application(email=sub.email, status=UNCONFIRMED)
        db.session.add(found)
    elif not _may_mail(found):
        return RENEWED
    _fill(found, sub)
    _send_confirmation(found)
    try:
        db.session.commit()
    except IntegrityError:  # the same address sent twice at the same moment: one row wins
        db.session.rollback()
        return RENEWED
    return outcome


def _already(found: Application) -> str:
    """An application from the address is with the Secretariat: tell its owner so."""
    if _may_mail(found):
        letters.already_open(found)
    db.session.commit()
    return ALREADY


def _may_mail(application: Application) -> bool:
    """Not mailed in the last ``RESEND_AFTER``: one form cannot flood a mailbox."""
    last = application.last_mailed_at
    return last is None or utcnow() - last >= RESEND_AFTER


def _fill(application: Application, sub: Submission) -> None:
    """Copy what the applicant wrote onto the row (a renewal replaces it all)."""
    for name in ("name", "organisation", "organisation_type", "country", "convention_role",
                 "motivation", "locale", "expertise_text"):
        setattr(application, name, getattr(sub, name))
    application.expertise_ids = sorted(set(sub.expertise_ids))
    application.languages = list(dict.fromkeys(sub.languages))
    application.group_ids = sorted(set(sub.group_ids))
    application.person_key = person_key(sub.name, sub.country)


def _send_confirmation(application: Application) -> None:
    """A fresh link (the previous one stops working) and the mail carrying it."""
    token, token_digest = new_token()
    hours = int(current_app.config["APPLICATION_CONFIRM_HOURS"])
    application.token_digest = token_digest
    application.token_expires_at = utcnow() + timedelta(hours=hours)
    letters.confirm_email(application, token, hours)


# --- Links: confirming, answering -------------------------------------------------------------


def by_token(token: str, status: str) -> Application | None:
    """The application a live link of this kind points at; None for any other link."""
    if not token or len(token) > TOKEN_MAX:
        return None
    found = db.session.scalar(select(Application).where(
        Application.token_digest == digest(token)))
    if found is None or found.status != status or found.token_expires_at is None:
        return None
    return found if utcnow() < found.token_expires_at else None


def confirm(token: str) -> Application | None:
    """Use the confirmation link: the application joins the queue, checked for duplicates."""
    found = by_token(token, UNCONFIRMED)
    if found is None:
        return None
    found.status, found.confirmed_at = WAITING, utcnow()
    found.token_digest = found.token_expires_at = found.last_mailed_at = None
    flag_duplicates(found)
    audit.record(None, "application.confirm", found, email=found.email, flagged=found.flagged)
    letters.received(found)
    db.session.commit()
    return found


def answer(token: str, text: str) -> Application | None:
    """The applicant's answer to the Secretariat's question: back to the queue."""
    found = by_token(token, INFO_REQUESTED)
    if found is None:
        return None
    body = _text(text, "answer", MESSAGE_MAX)
    found.messages.append(ApplicationMessage(kind=ANSWER, body=body))
    found.status = WAITING
    found.token_digest = found.token_expires_at = None
    audit.record(None, "application.answer", found)
    db.session.commit()
    return found


# --- Possible duplicates ----------------------------------------------------------------------


def duplicates_of(application: Application) -> list[dict]:
    """Members and confirmed applications with the same email, or the same name and country."""
    found = []
    for user in db.session.scalars(select(User).where(User.email == application.email)):
        found.append({"kind": "member", "id": user.id, "why": "email"})
    same_country = db.session.execute(
        select(User.id, User.display_name).join(Profile, Profile.user_id == User.id)
        .where(Profile.country == application.country, User.email != application.email))
    for user_id, name in same_country:
        if person_key(name, application.country) == application.person_key:
            found.append({"kind": "member", "id": user_id, "why": "name"})
    others = db.session.scalars(select(Application).where(
        Application.id != application.id, Application.status != UNCONFIRMED,
        (Application.email == application.email)
        | (Application.person_key == application.person_key)))
    for other in others:
        why = "email" if other.email == application.email else "name"
        found.append({"kind": "application", "id": other.id, "why": why})
    return found


def flag_duplicates(application: Application) -> None:
    """Record what the application may repeat, and flag the open ones it repeats too."""
    application.duplicates = duplicates_of(application)
    application.flagged = bool(application.duplicates)
    for entry in application.duplicates:
        other = db.session.get(Application, entry["id"]) if entry["kind"] == "application" else None
        if other is not None and other.is_open:
            mine = {"kind": "application", "id": application.id, "why": entry["why"]}
            other.duplicates = [*(other.duplicates or []), mine]
            other.flagged = True


def purge_unconfirmed() -> int:
    """Worker task: forget applications whose address was never confirmed in time; how many
    (0, falsy, tells ``worker --once`` there was nothing to do)."""
    result = db.session.execute(delete(Application).where(
        Application.status == UNCONFIRMED, Application.token_expires_at < utcnow()))
    db.session.commit()
    return result.rowcount
