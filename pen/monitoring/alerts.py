"""The watch: look at the platform's health, open and clear incidents, tell the operators.

``watch()`` runs the checks (``checks.all_checks``). A failing check with no open
incident opens one and mails the administrators (and ``PEN_ALERT_EMAILS``) once; a
passing check with an open incident clears it and mails once more. The worker runs it
every ``PEN_ALERT_CHECK_SECONDS``; ``flask --app pen monitoring check`` runs it from a
timer, so that a stopped worker is noticed too.

When the database itself is down nothing can be recorded in it, nor can the
administrators be looked up: that incident is kept as a file in the data folder and
mailed straight to ``PEN_ALERT_EMAILS`` over SMTP, bypassing the outbox.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .. import i18n, mail
from ..auth.service import active_administrators
from ..extensions import db
from ..health import Check
from ..types import utcnow
from . import checks
from .models import HealthSample, Incident

SAMPLE_EVERY = timedelta(hours=1)
KEEP_SAMPLES = timedelta(days=14)
DATABASE_DOWN_FILE = "database-down.incident"


@dataclass
class WatchReport:
    """What one look did: incidents opened and cleared."""

    opened: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.opened or self.cleared)

    def __str__(self) -> str:
        return f"{len(self.opened)} opened, {len(self.cleared)} cleared"


def watch() -> WatchReport:
    """Look once: open and clear incidents, mail about each change, take the hour's sample."""
    found = checks.all_checks()
    if not found[0].ok:  # the database: nothing else can be recorded
        return _database_down(found[0])
    report = _database_back()
    open_now = {i.name: i for i in db.session.scalars(
        select(Incident).where(Incident.cleared_at.is_(None)))}
    for check in found:
        if not check.ok and check.name not in open_now:
            _open(check, report)
        elif check.ok and check.name in open_now:
            _clear(open_now[check.name], report)
    _sample(found)
    db.session.commit()
    return report


def _open(check: Check, report: WatchReport) -> None:
    """Open an incident and mail about it, unless another server just did."""
    incident = Incident(name=check.name, detail=check.detail)
    try:
        with db.session.begin_nested():
            db.session.add(incident)
    except IntegrityError:
        return  # another worker opened it a moment ago and mails about it
    current_app.logger.error("incident opened: %s: %s", check.name, check.detail)
    _tell_everyone("opened", check.name, check.detail)
    report.opened.append(check.name)


def _clear(incident: Incident, report: WatchReport) -> None:
    """Clear an incident and mail that it is over."""
    incident.cleared_at = utcnow()
    current_app.logger.warning("incident cleared: %s", incident.name)
    _tell_everyone("cleared", incident.name, incident.detail)
    report.cleared.append(incident.name)


def _tell_everyone(change: str, check: str, detail: str) -> None:
    """Queue the alert for each administrator, in their language, and the alert addresses."""
    for admin in active_administrators():
        with i18n.for_recipient(admin):
            _queue_alert(admin.email, change, check, detail)
    for address in current_app.config["ALERT_EMAILS"]:
        _queue_alert(address, change, check, detail)


def _queue_alert(address: str, change: str, check: str, detail: str) -> None:
    """One alert mail through the outbox."""
    subject = (_("PEN: %(check)s is unwell", check=check) if change == "opened"
               else _("PEN: %(check)s is well again", check=check))
    mail.queue_template(address, subject, "monitoring_alert", change=change, check=check,
                        detail=detail, health_url=_health_url())


def _health_url() -> str:
    """The System health page, for the mail."""
    base = current_app.config.get("SITE_URL")
    path = url_for("monitoring.health", _external=not base)
    return f"{base.rstrip('/')}{path}" if base else path


def _sample(found: list[Check]) -> None:
    """Once an hour, keep each check's figure for the chart; forget samples after 14 days."""
    now = utcnow()
    last = db.session.scalar(select(HealthSample.taken_at).order_by(
        HealthSample.taken_at.desc()).limit(1))
    if last and now - last < SAMPLE_EVERY:
        return
    db.session.add_all(HealthSample(taken_at=now, name=c.name, value=c.value)
                       for c in found if c.value is not None)
    db.session.execute(delete(HealthSample).where(HealthSample.taken_at < now - KEEP_SAMPLES))


def _down_file() -> Path:
    """The marker of an open "database down" incident, in this server's data folder."""
    return Path(current_app.config["DATA_DIR"]) / DATABASE_DOWN_FILE


def _database_down(check: Check) -> WatchReport:
    """Mail the alert addresses directly, once, when the database stops answering."""
    db.session.rollback()
    report = WatchReport()
    marker = _down_file()
    if marker.exists():
        return report
    marker.write_text(utcnow().isoformat())
    current_app.logger.error("incident opened: database: %s", check.detail)
    _send_directly(_("PEN: the database is not answering"),
                   _("PEN cannot reach its database (%(detail)s). Members see a page "
                     "saying so. You will get another mail when it answers again.",
                     detail=check.detail))
    report.opened.append("database")
    return report


def _database_back() -> WatchReport:
    """Clear the "database down" incident once it answers again."""
    report = WatchReport()
    marker = _down_file()
    if marker.exists():
        marker.unlink()
        current_app.logger.warning("incident cleared: database")
        _send_directly(_("PEN: the database answers again"),
                       _("PEN reaches its database again; pages work as before."))
        report.cleared.append("database")
    return report


def _send_directly(subject: str, text: str) -> None:
    """Send to ``PEN_ALERT_EMAILS`` now (the outbox lives in the database that is down)."""
    backend = mail.make_backend(current_app.config)
    sender = current_app.config["MAIL_FROM"]
    for address in current_app.config["ALERT_EMAILS"]:
        message = mail.MailMessage(to_addr=address, subject=subject, body_text=text)
        try:
            backend.send(mail.build_email(message, sender))
        except Exception:
            current_app.logger.exception("could not mail the alert to %s", address)


def recent_samples(days: int = 7) -> dict[str, list[tuple]]:
    """The samples of the last ``days``, per check name, oldest first, for the chart."""
    since = utcnow() - timedelta(days=days)
    series: dict[str, list[tuple]] = {}
    for sample in db.session.scalars(select(HealthSample).where(
            HealthSample.taken_at >= since).order_by(HealthSample.taken_at)):
        series.setdefault(sample.name, []).append((sample.taken_at, sample.value))
    return series


def open_incidents() -> list[Incident]:
    """Incidents not cleared yet, oldest first."""
    return list(db.session.scalars(select(Incident).where(
        Incident.cleared_at.is_(None)).order_by(Incident.opened_at)))


def recent_incidents(limit: int = 20) -> list[Incident]:
    """The latest incidents, open or cleared."""
    return list(db.session.scalars(select(Incident).order_by(
        Incident.opened_at.desc()).limit(limit)))
