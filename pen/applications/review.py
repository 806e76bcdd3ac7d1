"""The Secretariat's queue: lists, counts, and the decisions (approve, decline, ask).

Every decision is checked here (``can_review_applications``), audited, and
mailed to the applicant in their language, in one transaction. Approving
creates the account as the rollout invites anyone: an invited account with
its profile, a place in the chosen cohort, the invitation mail, and a join
request to each thematic group the applicant named.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from .. import audit
from ..auth import service as accounts
from ..auth.models import User, UserStatus
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..members import countries, designations
from ..members import service as members
from ..members.models import DESIGNATION_KINDS
from ..onboarding import sending
from ..onboarding.models import Cohort, CohortMember
from ..tokens import new_token
from ..types import utcnow
from . import interests, letters
from .models import (
    APPROVED,
    DECLINED,
    INFO_REQUESTED,
    MESSAGE_MAX,
    QUESTION,
    QUEUE_STATES,
    WAITING,
    Application,
    ApplicationMessage,
)
from .permissions import can_review_applications

DECIDABLE = (WAITING, INFO_REQUESTED)


def queue_query(status: str | None = None, country: str | None = None,
                organisation_type: str | None = None, flagged: bool = False) -> Select:
    """Confirmed applications, oldest first, filtered; ready to paginate."""
    query = select(Application).order_by(Application.created_at, Application.id)
    query = query.where(Application.status.in_([status] if status in QUEUE_STATES
                                               else QUEUE_STATES))
    if country:
        query = query.where(Application.country == country)
    if organisation_type:
        query = query.where(Application.organisation_type == organisation_type)
    if flagged:
        query = query.where(Application.flagged.is_(True))
    return query


def counts() -> dict[str, int]:
    """Applications in each queue state, zeros included, and ``flagged`` among the waiting."""
    rows = dict(db.session.execute(
        select(Application.status, func.count()).where(Application.status.in_(QUEUE_STATES))
        .group_by(Application.status)).all())
    flagged = db.session.scalar(select(func.count()).select_from(Application).where(
        Application.status == WAITING, Application.flagged.is_(True)))
    return {state: rows.get(state, 0) for state in QUEUE_STATES} | {"flagged": flagged}


def get_for(actor, application_id: int) -> Application:
    """An application a reviewer may open; ``NotFound`` for anyone else, and for the
    unconfirmed (nobody sees those)."""
    found = db.session.get(Application, application_id)
    if not can_review_applications(actor) or found is None or found.status not in QUEUE_STATES:
        raise NotFound()
    return found


def _check(actor, application: Application) -> None:
    """A reviewer, and an application still waiting for a decision."""
    if not can_review_applications(actor) or application.status not in QUEUE_STATES:
        raise NotFound()
    if application.status not in DECIDABLE:
        raise ValidationError(_("This application has already been decided."))


def _message(text: str, name: str) -> str:
    """A reviewer's message, trimmed; it is required and has a limit."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Please write a message to the applicant."), field=name)
    if len(text) > MESSAGE_MAX:
        raise ValidationError(_("At most %(max)d characters, please (this has %(length)d).",
                                max=MESSAGE_MAX, length=len(text)), field=name)
    return text


def _decided(actor, application: Application, status: str, message: str = "") -> None:
    """Record the decision; any link still out (a question) stops working."""
    application.status, application.decided_at = status, utcnow()
    application.decided_by_id, application.decision_message = getattr(actor, "id", None), message
    application.token_digest = application.token_expires_at = None


def decline(actor, application: Application, message: str) -> None:
    """Say no, with a message the applicant receives."""
    _check(actor, application)
    text = _message(message, "message")
    _decided(actor, application, DECLINED, text)
    audit.record(actor, "application.decline", application, email=application.email)
    letters.declined(application, text)
    db.session.commit()


def ask(actor, application: Application, question: str) -> ApplicationMessage:
    """Ask the applicant for more information: a mail with a link to the answer page."""
    _check(actor, application)
    text = _message(question, "question")
    entry = ApplicationMessage(kind=QUESTION, body=text, author_id=getattr(actor, "id", None))
    application.messages.append(entry)
    token, token_digest = new_token()
    days = int(current_app.config["APPLICATION_ANSWER_DAYS"])
    application.status, application.token_digest = INFO_REQUESTED, token_digest
    application.token_expires_at = utcnow() + timedelta(days=days)
    audit.record(actor, "application.ask", application)
    letters.question(application, text, token, days)
    db.session.commit()
    return entry


def approve(actor, application: Application, cohort: Cohort | None) -> User:
    """Create the invited account, as the rollout would, and tell the applicant."""
    _check(actor, application)
    sending.check_links()
    if accounts.find_by_email(application.email) is not None:
        raise ValidationError(_("An account with this email already exists; decline this "
                                "application and tell the applicant to sign in."))
    try:
        user, groups = _invite(actor, application, cohort)
    except ValidationError:  # nothing half-made stays in the session the page goes on with
        db.session.rollback()
        raise
    _decided(actor, application, APPROVED)
    application.user_id = user.id
    audit.record(actor, "application.approve", application, user_id=user.id, groups=groups,
                 cohort=cohort.slug if cohort else None)
    letters.approved(application)
    db.session.commit()
    return user


def _invite(actor, application: Application, cohort: Cohort | None) -> tuple[User, list[str]]:
    """The invited account, its profile, cohort, invitation mail and group requests."""
    user = accounts.create_user(application.email, application.name, None,
                                status=UserStatus.INVITED, actor=actor)
    _fill_profile(user, application)
    if cohort is not None:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
    sending.issue(None, user, actor, sending.Schedule(utcnow()).take(), application.locale)
    groups = interests.file_requests(actor, user, application.group_ids,
                                     _("Asked for in the application to join PEN."))
    return user, groups


def _fill_profile(user: User, application: Application) -> None:
    """The profile from the application; a designation asked for awaits verification."""
    profile = members.profile_of(user)
    profile.organisation = application.organisation
    profile.organisation_type = application.organisation_type
    profile.country = application.country
    profile.region = countries.REGION_OF.get(application.country)
    profile.locale = application.locale
    profile.languages = list(application.languages or [])
    wanted = set(application.expertise_ids or [])  # a term deleted since is left out
    profile.expertise = [term for term in members.vocabulary() if term.id in wanted]
    if application.convention_role in DESIGNATION_KINDS:
        designations.pending_request(user.id, application.convention_role, application.country,
                                     "From the application to join PEN.")
    else:
        profile.convention_role = application.convention_role


def matches(application: Application) -> list[tuple[dict, object]]:
    """The application's possible duplicates with the member or application each names
    (None where it has gone since)."""
    found = []
    for entry in application.duplicates or []:
        model = User if entry.get("kind") == "member" else Application
        found.append((entry, db.session.get(model, entry.get("id"))))
    return found


def expertise_of(application: Application) -> list[str]:
    """The names of the vocabulary terms the applicant ticked (those still in the list)."""
    wanted = set(application.expertise_ids or [])
    return [term.name for term in members.vocabulary() if term.id in wanted]


def group_names(application: Application) -> list[str]:
    """The names of the groups the applicant named (those still offered)."""
    wanted = set(application.group_ids or [])
    return [name for group_id, name in interests.group_choices() if group_id in wanted]
