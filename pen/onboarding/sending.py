"""Sending invitations through the mail outbox: to a cohort, to everyone, again, or not at all.

Nothing here waits for the mail server. Each invitation is an outbox row whose
``next_attempt_at`` is its turn under ``INVITATIONS_PER_MINUTE``, continuing
after the invitations already waiting; the worker sends a row only once it is
due. Every sending and revocation is audited.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import with_expression

from .. import audit, mail
from ..auth.models import User, UserStatus
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..mail import MailMessage
from ..members import service as member_service
from ..tokens import new_token
from ..types import utcnow
from . import cohorts
from .access import can_manage_rollout
from .models import (
    ACCEPTED,
    EXPIRED,
    FAILED,
    PENDING_STATES,
    REVOKED,
    Invitation,
    state_expression,
)

BATCH = 200
DEV_BASE_URL = "http://127.0.0.1:5000"
INVITED, SKIPPED = "invited", "skipped"
REASONS = {
    "active": _l("already active"),
    "suspended": _l("suspended"),
    "no_email": _l("no email address"),
    "pending": _l("already invited, not yet accepted"),
    "revoked": _l("invitation revoked"),
    "recent": _l("sent less than a day ago"),
    "expired": _l("again: the last one had expired"),
    "failed": _l("again: the last one could not be delivered"),
    "sent": _l("again: not yet accepted"),
}


@dataclass
class SendLine:
    """What one run did for one member."""

    user_id: int
    email: str
    outcome: str  # invited, skipped
    reason: str = ""

    def __str__(self) -> str:
        reason = f" — {REASONS[self.reason]}" if self.reason else ""
        return f"{self.outcome} {self.email or '(no email)'}{reason}"


@dataclass
class SendReport:
    """Every member's outcome, the totals, and when the queued mail will go out."""

    target: str
    dry_run: bool = False
    lines: list[SendLine] = field(default_factory=list)
    first_at: datetime | None = None
    last_at: datetime | None = None

    @property
    def invited(self) -> int:
        """How many invitations this run queued (or would queue)."""
        return sum(1 for line in self.lines if line.outcome == INVITED)

    @property
    def skipped(self) -> Counter:
        """Skipped members by reason."""
        return Counter(line.reason for line in self.lines if line.outcome == SKIPPED)

    def summary(self) -> str:
        """One line: invited, skipped and why."""
        skipped = self.skipped
        line = _("%(invited)d invited, %(skipped)d skipped", invited=self.invited,
                 skipped=sum(skipped.values()))
        if skipped:
            line += " (" + "; ".join(f"{REASONS[r]}: {n}" for r, n in sorted(skipped.items())) + ")"
        return _("Dry run, nothing sent: %(summary)s", summary=line) if self.dry_run else line


class Schedule:
    """Send times spaced by the throttle, starting after the invitations still waiting."""

    def __init__(self, now: datetime):
        per_minute = float(current_app.config["INVITATIONS_PER_MINUTE"] or 0)
        self.interval = timedelta(seconds=60 / per_minute) if per_minute > 0 else timedelta(0)
        waiting = db.session.scalar(
            select(func.max(MailMessage.next_attempt_at)).select_from(Invitation)
            .join(MailMessage, Invitation.mail_id == MailMessage.id)
            .where(MailMessage.status == "pending", MailMessage.attempts == 0))
        self.next = max(now, waiting + self.interval) if waiting else now

    def take(self) -> datetime:
        """The next free send time."""
        slot, self.next = self.next, self.next + self.interval
        return slot


def _fallback_base() -> str:
    """The site's address when neither ``SITE_URL`` nor a request gives one."""
    if current_app.config.get("ENV") == "development":
        return DEV_BASE_URL
    raise ValidationError(_("Set PEN_SITE_URL to the site's address (https://…) so that "
                            "the links in invitations point at it."))


def check_links() -> None:
    """Refuse to start a run whose mail could not carry a working link (``ValidationError``)."""
    config = current_app.config
    if not (config.get("SITE_URL") or has_request_context() or config.get("SERVER_NAME")):
        _fallback_base()


def external_url(endpoint: str, **values) -> str:
    """A full URL for mail: under ``SITE_URL`` if set, else the request's or ``SERVER_NAME``'s."""
    base = current_app.config.get("SITE_URL")
    if not base and (has_request_context() or current_app.config.get("SERVER_NAME")):
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or _fallback_base())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def issue(invitation: Invitation | None, user: User, actor, slot: datetime,
          locale: str | None = None, action: str = "invitation.send") -> Invitation:
    """Give the member a fresh token and queue the mail carrying it (old links stop working)."""
    token, digest = new_token()
    now = utcnow()
    if invitation is None:
        invitation = Invitation(user=user, created_at=now, send_count=0)
        db.session.add(invitation)
    invitation.token_digest, invitation.last_sent_at = digest, now
    invitation.expires_at = now + timedelta(days=int(current_app.config["INVITATION_DAYS"]))
    invitation.send_count += 1
    invitation.revoked_at, invitation.sent_by_id = None, getattr(actor, "id", None)
    invitation.mail = _queue_mail(user, token, slot, locale)
    audit.record(actor, action, user, send=invitation.send_count)
    return invitation


def _queue_mail(user: User, token: str, slot: datetime, locale: str | None) -> MailMessage:
    days = int(current_app.config["INVITATION_DAYS"])
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = mail.queue_template(
            user.email, _("Your invitation to the PCBs Elimination Network"), "invitation",
            user=user, days=days, link=external_url("onboarding.accept", token=token),
            renew_link=external_url("onboarding.renew"),
            privacy_link=external_url("privacy.page"))
    message.next_attempt_at = slot
    return message


def withdraw_mail(invitation: Invitation) -> bool:
    """Cancel the invitation's outbox message if it has not gone out; False if being sent now.

    The row keeps its history with the status ``cancelled``, which the worker ignores.
    """
    if invitation.mail_id is None:
        return True
    now = utcnow()
    db.session.execute(
        update(MailMessage)
        .where(MailMessage.id == invitation.mail_id, MailMessage.status == "pending")
        .where((MailMessage.claimed_until.is_(None)) | (MailMessage.claimed_until < now))
        .values(status="cancelled"), execution_options={"synchronize_session": "fetch"})
    status = db.session.scalar(select(MailMessage.status)
                               .where(MailMessage.id == invitation.mail_id))
    return status != "pending"


def _rows(user_ids: list[int], now: datetime):
    """(user, invitation or None, state) for these accounts, in one query."""
    query = (select(User, Invitation)
             .outerjoin(Invitation, Invitation.user_id == User.id)
             .outerjoin(MailMessage, Invitation.mail_id == MailMessage.id)
             .options(with_expression(Invitation.state, state_expression(now)))
             .where(User.id.in_(user_ids)).order_by(User.id)
             .execution_options(populate_existing=True))
    return db.session.execute(query).all()


def _decide(user: User, invitation: Invitation | None) -> tuple[str, str]:
    """Whether a run invites this member, and why (not)."""
    if not user.email:
        return SKIPPED, "no_email"
    if user.status == UserStatus.SUSPENDED:
        return SKIPPED, "suspended"
    if user.status == UserStatus.ACTIVE or (invitation and invitation.state == ACCEPTED):
        return SKIPPED, "active"
    if invitation is None:
        return INVITED, ""
    if invitation.state == REVOKED:
        return SKIPPED, "revoked"
    if invitation.state in (EXPIRED, FAILED):
        return INVITED, invitation.state
    return SKIPPED, "pending"


def target_ids(target: str) -> list[int]:
    """The accounts a run is for: ``all``, or a cohort by slug or name."""
    if target == cohorts.ALL:
        return list(db.session.scalars(select(User.id).order_by(User.id)))
    cohort = cohorts.find_cohort(target)
    if cohort is None:
        raise ValidationError(_("There is no cohort called “%(name)s”.", name=target),
                              field="cohort")
    return cohorts.member_ids(cohort)


def send_invitations(actor, target: str, dry_run: bool = False, progress=None) -> SendReport:
    """Invite every member of ``target`` who has no live invitation; report each one.

    A member is considered once per run, whatever the target's overlaps. Batches
    are committed as they go, so an interrupted run keeps what it queued.
    """
    _check(actor)
    report = SendReport(target=target, dry_run=dry_run)
    check_links()
    ids = list(dict.fromkeys(target_ids(target)))
    _run(actor, ids, report, _decide, progress)
    _finish(actor, "invitations.send", report, cohort=target)
    return report


def resend_pending(actor, progress=None) -> SendReport:
    """Send again to everyone who has not accepted (sent, failed, expired), once a day at most."""
    _check(actor)
    report = SendReport(target="pending")
    day_ago = utcnow() - timedelta(days=1)
    query = (select(Invitation.user_id).join(User, User.id == Invitation.user_id)
             .outerjoin(MailMessage, Invitation.mail_id == MailMessage.id)
             .where(state_expression(utcnow()).in_(PENDING_STATES),
                    User.status == UserStatus.INVITED)
             .order_by(Invitation.user_id))

    def decide(user, invitation):
        """Everyone pending is due again, unless their last mail is less than a day old."""
        if invitation.last_sent_at > day_ago:
            return SKIPPED, "recent"
        return INVITED, invitation.state

    _run(actor, list(db.session.scalars(query)), report, decide, progress,
         action="invitation.resend")
    _finish(actor, "invitations.resend_pending", report)
    return report


def _check(actor) -> None:
    if not can_manage_rollout(actor):
        raise Forbidden(_("Only administrators send invitations."))


def _run(actor, ids: list[int], report: SendReport, decide, progress,
         action: str = "invitation.send") -> None:
    schedule = Schedule(utcnow())
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        locales = member_service.mail_locales(batch) if not report.dry_run else {}
        for user, invitation in _rows(batch, utcnow()):
            outcome, reason = decide(user, invitation)
            report.lines.append(SendLine(user.id, user.email, outcome, reason))
            if outcome == INVITED and not report.dry_run:
                slot = schedule.take()
                report.first_at = report.first_at or slot
                report.last_at = slot
                issue(invitation, user, actor, slot, locales.get(user.id), action)
        if not report.dry_run:
            db.session.commit()
        if progress:
            progress(len(batch))


def _finish(actor, action: str, report: SendReport, **detail) -> None:
    if report.dry_run:
        db.session.rollback()
        return
    audit.record(actor, action, None, invited=report.invited,
                 skipped=sum(report.skipped.values()), **detail)
    db.session.commit()


def resend(actor, invitation: Invitation) -> None:
    """Send one member's invitation again now, with a new link (even a revoked one)."""
    _check(actor)
    if invitation.accepted_at is not None or invitation.user.status == UserStatus.ACTIVE:
        raise ValidationError(_("This member has already joined."))
    if invitation.user.status == UserStatus.SUSPENDED:
        raise ValidationError(_("This account is suspended; reactivate it first."))
    if not withdraw_mail(invitation):
        raise ValidationError(_("The invitation is being sent right now; try again in a minute."))
    issue(invitation, invitation.user, actor, Schedule(utcnow()).take(),
          member_service.mail_locales([invitation.user_id]).get(invitation.user_id),
          "invitation.resend")
    db.session.commit()


def revoke(actor, invitation: Invitation) -> None:
    """Make the member's link stop working; unsent mail is cancelled."""
    _check(actor)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This member has already joined; suspend the account instead."))
    if invitation.revoked_at is None:
        withdraw_mail(invitation)
        invitation.revoked_at = utcnow()
        audit.record(actor, "invitation.revoke", invitation.user)
    db.session.commit()

