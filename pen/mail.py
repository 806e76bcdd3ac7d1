"""Mail: every message is an outbox row first, then delivered with retries.

``queue`` adds the row to the caller's transaction, so a message exists exactly
when the change that caused it was committed. ``deliver_due`` (run by the
worker) sends what is due through SMTP or, with no ``MAIL_URL``, writes .eml
files into ``DATA_DIR/mail/``. Failures are retried with exponential backoff
and the error is kept on the row.

An address whose mail bounced (``BouncingAddress``, filled by ``pen.bounces``
from the delivery reports that come back) gets nothing more: a message for it
is kept with the status "suppressed" when its turn comes, never sent, until the member
confirms or changes the address (``clear_bouncing``). ``MAIL_BOUNCE_ADDRESS``,
when set, is the envelope sender, where those reports go.
"""

import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from flask_babel import get_locale
from jinja2 import TemplateNotFound
from sqlalchemy import JSON, String, Text, func, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from . import bidi
from .extensions import db
from .types import UTCDateTime, utcnow

CLAIM_SECONDS = 300  # a crashed worker's claim expires after this
BASE_BACKOFF_SECONDS = 30
MAX_BACKOFF = timedelta(hours=6)
SUBJECT_MAX = 300  # the length of MailMessage.subject


class UndeliverableMessage(ValueError):
    """The outbox row cannot become a valid message: retrying will not help."""


class MailMessage(db.Model):
    """A message waiting in, or sent from, the outbox."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict | None] = mapped_column(JSON)  # extra headers (List-Unsubscribe…)


class BouncingAddress(db.Model):
    """An address mail bounced from for good: nothing more is sent to it until cleared."""

    __tablename__ = "mail_bouncing_addresses"

    address: Mapped[str] = mapped_column(String(254), primary_key=True)  # lower case
    first_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    count: Mapped[int] = mapped_column(default=1)
    detail: Mapped[str] = mapped_column(Text, default="")  # the last report's status and text


def is_bouncing(address: str) -> bool:
    """Whether mail to ``address`` bounced and was not fixed since."""
    return db.session.get(BouncingAddress, (address or "").strip().lower()) is not None


def mark_bouncing(address: str, detail: str) -> BouncingAddress:
    """Record a permanent failure for ``address`` (in the caller's transaction)."""
    key = address.strip().lower()
    found = db.session.get(BouncingAddress, key)
    if found is None:
        found = BouncingAddress(address=key, count=0)
        db.session.add(found)
    found.count, found.last_at, found.detail = found.count + 1, utcnow(), detail[:2000]
    return found


def clear_bouncing(address: str) -> bool:
    """The member fixed or confirmed the address: mail flows again. False if it was not
    bouncing (in the caller's transaction)."""
    found = db.session.get(BouncingAddress, (address or "").strip().lower())
    if found is not None:
        db.session.delete(found)
    return found is not None


def bouncing_addresses(limit: int = 500) -> list[BouncingAddress]:
    """The bouncing addresses, the latest bounce first."""
    return list(db.session.scalars(select(BouncingAddress).order_by(
        BouncingAddress.last_at.desc()).limit(limit)))


def bouncing_count() -> int:
    """How many addresses are bouncing."""
    return db.session.scalar(select(func.count()).select_from(BouncingAddress)) or 0


def queue(to: str, subject: str, text: str, html: str | None = None,
          headers: dict | None = None) -> MailMessage:
    """Add a message to the outbox in the current transaction (the caller commits).

    The subject is made one line and cut to fit its column: subjects are often built
    from member text, and neither a line break nor a long title may break the commit
    of the change that caused the mail, nor the message itself.
    """
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    if bidi.is_right_to_left(get_locale()):  # written for a reader of Arabic
        subject, text = bidi.mark(subject)[:SUBJECT_MAX], bidi.mark_lines(text)
    message = MailMessage(to_addr=to.strip(), subject=subject, body_text=text, body_html=html,
                          headers=headers or None)
    db.session.add(message)
    return message


def queue_template(to: str, subject: str, template: str, headers: dict | None = None,
                   **context) -> MailMessage:
    """Render ``mail/<template>.txt`` (and ``.html`` if present) and queue the result."""
    text = render_template(f"mail/{template}.txt", **context)
    try:
        html_template = current_app.jinja_env.get_template(f"mail/{template}.html")
    except TemplateNotFound:  # a text-only message
        return queue(to, subject, text, headers=headers)
    return queue(to, subject, text, render_template(html_template, **context), headers=headers)


@dataclass
class DeliveryReport:
    """What one pass over the outbox did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __bool__(self) -> bool:
        """True when the pass did any work, so ``worker --once`` knows to go on."""
        return bool(self.sent or self.retried or self.failed)

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retried} to retry, {self.failed} failed"


def deliver_due(limit: int = 100) -> DeliveryReport:
    """Send the messages that are due, each claimed so two workers never send one twice."""
    report = DeliveryReport()
    backend = make_backend(current_app.config)
    for message_id in _due_ids(limit):
        if _claim(message_id):
            _deliver_one(db.session.get(MailMessage, message_id), backend, report)
    return report


def _due_ids(limit: int) -> list[int]:
    now = utcnow()
    query = (
        select(MailMessage.id)
        .where(MailMessage.status == "pending", MailMessage.next_attempt_at <= now)
        .where(or_(MailMessage.claimed_until.is_(None), MailMessage.claimed_until < now))
        .order_by(MailMessage.next_attempt_at, MailMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _claim(message_id: int) -> bool:
    """Mark a message as being sent; False if another worker got it first.

    The claim repeats every condition of ``_due_ids``: a worker whose list of due
    messages went stale while another worker sent one, or failed and pushed its next
    attempt back, must not send it again now.
    """
    now = utcnow()
    result = db.session.execute(
        update(MailMessage)
        .where(MailMessage.id == message_id, MailMessage.status == "pending")
        .where(MailMessage.next_attempt_at <= now)
        .where(or_(MailMessage.claimed_until.is_(None), MailMessage.claimed_until < now))
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return result.rowcount == 1


def _deliver_one(message: MailMessage, backend, report: DeliveryReport) -> None:
    if is_bouncing(message.to_addr):  # checked here, not when queued: one look per send
        message.status, message.last_error = "suppressed", "the address is bouncing"
        message.claimed_until = None
        db.session.commit()
        return
    try:
        backend.send(build_email(message, current_app.config["MAIL_FROM"]))
    except Exception as exc:
        _record_failure(message, exc, report)
    else:
        message.status, message.sent_at = "sent", utcnow()
        message.last_error = None
        report.sent += 1
    message.claimed_until = None
    db.session.commit()


def _record_failure(message: MailMessage, exc: Exception, report: DeliveryReport) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if _is_permanent(exc) or message.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        message.status = "failed"
        report.failed += 1
        current_app.logger.error("mail %s to %s failed for good: %s", message.id,
                                 message.to_addr, message.last_error)
        return
    delay = timedelta(seconds=BASE_BACKOFF_SECONDS * 2 ** (message.attempts - 1))
    message.next_attempt_at = utcnow() + min(delay, MAX_BACKOFF)
    report.retried += 1


def _is_permanent(exc: Exception) -> bool:
    """Whether a delivery error will be the same on every retry (RFC 5321 5yz replies).

    Only what is about this message counts: its recipient or its content refused
    for good, or a row that is no valid message. A refused sender, a failed login
    or an unreachable server are the configuration's or the moment's, and retried.
    """
    if isinstance(exc, UndeliverableMessage):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500


def build_email(message: MailMessage, sender: str) -> EmailMessage:
    """The RFC 5322 message for an outbox row; ``UndeliverableMessage`` if it cannot be one."""
    email = EmailMessage()
    email["From"] = sender
    try:
        email["To"] = message.to_addr
        email["Subject"] = message.subject
        recipients = email["To"].addresses
    except (ValueError, IndexError) as exc:  # line breaks; the parser's IndexError on "a@"
        raise UndeliverableMessage(f"invalid recipient or subject: {exc}") from exc
    if len(recipients) != 1 or not (recipients[0].username and recipients[0].domain):
        raise UndeliverableMessage(f"not one valid recipient address: {message.to_addr!r}")
    email["Message-ID"] = make_msgid(idstring=f"pen-{message.id}")
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


class FileBackend:
    """Writes each message as an .eml file: the default, and handy in development."""

    def __init__(self, directory: Path):
        self.directory = directory

    def send(self, email: EmailMessage) -> None:
        """Write atomically, so a reader never sees half a message."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{email['Message-ID'].strip('<>').split('@')[0]}"
        tmp = self.directory / f".{name}.tmp"
        tmp.write_bytes(bytes(email))
        os.replace(tmp, self.directory / f"{name}.eml")


class SMTPBackend:
    """Sends through an SMTP server: smtp://[user:pass@]host[:port][?starttls=1] or smtps://."""

    def __init__(self, url: str, timeout: float = 30, envelope_from: str | None = None):
        self.url = urlsplit(url)
        self.timeout = timeout
        self.envelope_from = envelope_from  # where delivery reports (bounces) go

    def send(self, email: EmailMessage) -> None:
        """Open a connection, authenticate if configured, send, close."""
        url = self.url
        if url.scheme == "smtps":
            client = smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=self.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(url.hostname, url.port or 25, timeout=self.timeout)
        with client:
            if "starttls=1" in url.query:
                client.starttls(context=ssl.create_default_context())
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(email, from_addr=self.envelope_from)


def make_backend(config) -> FileBackend | SMTPBackend:
    """The backend ``MAIL_URL`` names; .eml files when it is unset."""
    url = config.get("MAIL_URL")
    if url:
        if urlsplit(url).scheme not in {"smtp", "smtps"}:
            raise ValueError(f"PEN_MAIL_URL must start with smtp:// or smtps://, not {url!r}")
        return SMTPBackend(url, envelope_from=config.get("MAIL_BOUNCE_ADDRESS"))
    return FileBackend(Path(config["DATA_DIR"]) / "mail")
