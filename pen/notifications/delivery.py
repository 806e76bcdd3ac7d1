"""Notification emails: one at once (worker task) or a daily digest (``mail digest``).

A notification is emailed at most once: its ``email_state`` leaves "pending" in
the same commit that puts the message in the mail outbox. Just before sending,
each target is checked again: what the member can no longer see, or has read
already (digest), is dropped, never mentioned.
"""

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import ngettext
from sqlalchemy import func, select, update

from .. import i18n, mail
from ..auth import permissions
from ..auth.models import User
from ..extensions import db
from ..types import utcnow
from . import replies, unsubscribe
from .models import (
    DROPPED,
    EMAIL_DIGEST,
    EMAIL_IMMEDIATE,
    EMAIL_NONE,
    PENDING,
    SENT,
    Notification,
    NotificationSettings,
)
from .service import absolute_url, default_email_mode, split_visible

DIGEST_MAX_ITEMS = 100


@dataclass
class EmailReport:
    """What one pass did: messages queued, notifications emailed and dropped."""

    messages: int = 0
    emailed: int = 0
    dropped: int = 0

    def __bool__(self) -> bool:
        """True when the pass did something, so ``worker --once`` goes on."""
        return bool(self.emailed or self.dropped)

    def __str__(self) -> str:
        return f"{self.messages} message(s), {self.emailed} emailed, {self.dropped} dropped"


def _pending(mode: str):
    """Pending notifications of members whose email choice is ``mode``."""
    chosen = func.coalesce(NotificationSettings.email_mode, default_email_mode())
    return (select(Notification)
            .outerjoin(NotificationSettings, NotificationSettings.user_id == Notification.user_id)
            .where(Notification.email_state == PENDING, chosen == mode))


def deliver_immediate(limit: int = 200) -> EmailReport:
    """Worker task: one email per pending notification of members who chose "immediate"."""
    report = EmailReport()
    notes = list(db.session.scalars(_pending(EMAIL_IMMEDIATE).order_by(Notification.id)
                                    .limit(limit)))
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for note in notes:
        by_user[note.user_id].append(note)
    users, writing = _users(by_user), i18n.recipients(by_user)
    for user_id, user_notes in by_user.items():
        visible, hidden = _sendable(users.get(user_id), user_notes)
        for note in visible:
            with i18n.for_recipient(users[user_id], writing[user_id]):
                reply_to = replies.address_for(users[user_id], note.target_type,
                                               note.target_id)
                mail.queue_template(users[user_id].email, note.shown_title, "notification",
                                    headers=_headers(users[user_id], reply_to), note=note,
                                    reply_to=reply_to, link=absolute_url(note.url))
        _mark(visible, SENT, report)
        _mark(hidden, DROPPED, report)
        report.messages += len(visible)
    db.session.commit()
    return report


def send_digests(limit_users: int | None = None) -> EmailReport:
    """One digest per member who chose the daily digest and has something new; commit each."""
    report = EmailReport()
    _drop_for_members_without_email(report)
    user_ids = list(db.session.scalars(
        _pending(EMAIL_DIGEST).with_only_columns(Notification.user_id).distinct()
        .order_by(Notification.user_id).limit(limit_users)))
    users, writing = _users(user_ids), i18n.recipients(user_ids)
    for user_id in user_ids:
        _digest_for(users.get(user_id), user_id, writing[user_id], report)
        db.session.commit()
    return report


def _digest_for(user, user_id: int, recipient: i18n.Recipient, report: EmailReport) -> None:
    """Queue one member's digest of unread, still visible notifications; drop the rest."""
    notes = list(db.session.scalars(
        _pending(EMAIL_DIGEST).where(Notification.user_id == user_id)
        .order_by(Notification.created_at, Notification.id)))
    visible, hidden = _sendable(user, notes)
    unread = [n for n in visible if n.read_at is None]
    hidden += [n for n in visible if n.read_at is not None]
    if unread:
        with i18n.for_recipient(user, recipient):
            subject = ngettext("PEN digest: %(num)d new notification",
                               "PEN digest: %(num)d new notifications", len(unread))
            mail.queue_template(user.email, subject, "digest", notes=unread[:DIGEST_MAX_ITEMS],
                                headers=unsubscribe.headers_for(user),
                                reply_addresses={n.id: replies.address_for(
                                    user, n.target_type, n.target_id) for n in unread},
                                more=max(0, len(unread) - DIGEST_MAX_ITEMS),
                                links={n.id: absolute_url(n.url) for n in unread},
                                settings_link=absolute_url("/notifications/settings"))
        report.messages += 1
    _mark(unread, SENT, report)
    _mark(hidden, DROPPED, report)


def _headers(user, reply_to: str | None) -> dict[str, str]:
    """One-click unsubscribe, and the member's reply address when the target takes replies."""
    headers = unsubscribe.headers_for(user)
    if reply_to:
        headers["Reply-To"] = reply_to
    return headers


def _drop_for_members_without_email(report: EmailReport) -> None:
    """Pending notifications of members who turned email off will never be sent."""
    ids = list(db.session.scalars(_pending(EMAIL_NONE).with_only_columns(Notification.id)))
    if ids:
        db.session.execute(update(Notification).where(Notification.id.in_(ids))
                           .values(email_state=DROPPED))
        report.dropped += len(ids)
        db.session.commit()


def _users(user_ids) -> dict[int, User]:
    """The accounts of these ids, in one query."""
    ids = list(user_ids)
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _sendable(user, notes: list[Notification]) -> tuple[list, list]:
    """(notifications the member may still see, the others); nothing for lapsed accounts."""
    if user is None or not permissions.is_member(user):
        return [], notes
    return split_visible(user, notes)


def _mark(notes: list[Notification], state: str, report: EmailReport) -> None:
    """Record that these notifications were emailed (or will never be)."""
    now = utcnow()
    for note in notes:
        note.email_state = state
        note.emailed_at = now if state == SENT else None
    if state == SENT:
        report.emailed += len(notes)
    else:
        report.dropped += len(notes)

