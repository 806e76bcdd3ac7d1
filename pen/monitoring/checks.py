"""Is the platform well? The readiness checks plus what only an operator cares about.

``/readyz`` asks whether this server should receive requests (database, its indexes,
its worker). The watch asks more: mail waiting too long or failing, disk space running
out. Each answer is a ``pen.health.Check``; the figures behind them are also offered
to ``/metrics``.
"""

import os
import shutil
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from .. import health
from ..extensions import db
from ..health import Check
from ..mail import BouncingAddress, MailMessage
from ..metrics import Figure
from ..types import utcnow

DISK_FOLDERS = ("DATA_DIR", "UPLOADS_DIR", "INDEX_DIR")


def all_checks() -> list[Check]:
    """Readiness (database, indexes, worker), then mail and disk; mail only with a database."""
    checks = health.readiness()
    if checks[0].ok:
        checks.append(mail_check())
    return checks + disk_checks()


def _outbox() -> tuple[int, float, int, str | None]:
    """Pending messages; the age in seconds of the oldest one that should have gone (due,
    or already tried) and its last error; messages that failed for good in 24 h."""
    now = utcnow()
    pending = db.session.scalar(select(func.count(MailMessage.id))
                                .where(MailMessage.status == "pending"))
    stuck = db.session.execute(
        select(MailMessage.created_at, MailMessage.last_error)
        .where(MailMessage.status == "pending",
               (MailMessage.next_attempt_at <= now) | (MailMessage.attempts > 0))
        .order_by(MailMessage.created_at).limit(1)).first()
    failed = db.session.scalar(select(func.count(MailMessage.id)).where(
        MailMessage.status == "failed", MailMessage.created_at >= now - timedelta(days=1)))
    age = max(0.0, (now - stuck.created_at).total_seconds()) if stuck else 0.0
    return pending, age, failed, stuck.last_error if stuck else None


def _sent_last_day() -> int:
    """Messages sent in the last 24 hours."""
    return db.session.scalar(select(func.count(MailMessage.id)).where(
        MailMessage.status == "sent", MailMessage.sent_at >= utcnow() - timedelta(days=1)))


def mail_check() -> Check:
    """Mail is unwell when a message waits to be sent (due, or being retried) longer than
    the delay set, or when one failed for good in the last day."""
    _pending, age, failed, error = _outbox()
    limit = float(current_app.config["ALERT_MAIL_DELAY_MINUTES"]) * 60
    if age > limit:
        why = f"a message has waited {age / 60:.0f} min to be sent"
        return Check("mail", False, f"{why}; last error: {error}" if error else why, age)
    if failed:
        return Check("mail", False, f"{failed} message(s) could not be delivered in 24 h", age)
    return Check("mail", True, "", age)


def disk_checks() -> list[Check]:
    """One check per folder PEN writes to: enough free space left."""
    floor = float(current_app.config["ALERT_DISK_FREE_MB"]) * 1024 * 1024
    checks = []
    for folder, free in _free_space().items():
        name = f"disk:{folder}"
        ok = free >= floor
        detail = "" if ok else f"{free / 1024 / 1024:.0f} MB free"
        checks.append(Check(name, ok, detail, free))
    return checks


def _free_space() -> dict[str, int]:
    """Free bytes per configured folder that exists, by setting name (data_dir…)."""
    free = {}
    for setting in DISK_FOLDERS:
        path = current_app.config[setting]
        if os.path.isdir(path):
            free[setting.lower()] = shutil.disk_usage(path).free
    return free


def figures() -> list[Figure]:
    """For ``/metrics``: every check's state and value, and the mail outbox."""
    found = []
    for check in all_checks():
        found.append(Figure("pen_check_ok", "1 when a health check passes, 0 when it fails.",
                            int(check.ok), {"check": check.name}))
        if check.value is not None:
            found.append(Figure("pen_check_value", "A health check's figure (seconds behind, "
                                "seconds silent, bytes free…).", check.value,
                                {"check": check.name}))
    if found and found[0].value:  # the database answers
        pending, age, failed, _error = _outbox()
        found += [
            Figure("pen_mail_outbox_pending", "Messages waiting in the mail outbox.", pending),
            Figure("pen_mail_outbox_oldest_seconds", "Age of the oldest message due.", age),
            Figure("pen_mail_failed_24h", "Messages that could not be delivered in 24 h.",
                   failed),
            Figure("pen_mail_sent_24h", "Messages sent in 24 h.", _sent_last_day()),
            Figure("pen_mail_bouncing_addresses", "Addresses no mail goes to until fixed.",
                   db.session.scalar(select(func.count()).select_from(BouncingAddress))),
        ]
    return found
