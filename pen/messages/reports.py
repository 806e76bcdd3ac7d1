"""Reporting a message to the administrators, who see it with its context only."""

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..types import utcnow
from . import permissions
from .models import MessageReport

OPEN, CLOSED = "open", "closed"


def report(user, message, reason: str) -> MessageReport:
    """A participant reports a message they see (not their own) with a reason."""
    if not permissions.can_view_message(user, message):
        raise NotFound()
    if message.author_id == user.id:
        raise ValidationError(_("You cannot report your own message."), field="reason")
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= 1000:
        raise ValidationError(_("Say in 3 to 1,000 characters what is wrong."), field="reason")
    found = MessageReport(message_id=message.id, reporter_id=user.id, reason=reason)
    db.session.add(found)
    db.session.flush()
    audit.record(user, "messages.report", found, message=message.id)
    db.session.commit()
    return found


def open_reports(user, page: int = 1):
    """The reports waiting for an administrator, oldest first; NotFound for others."""
    if not permissions.can_view_report(user):
        raise NotFound()
    query = (select(MessageReport).where(MessageReport.status == OPEN)
             .order_by(MessageReport.created_at, MessageReport.id))
    return db.paginate(query, page=page, per_page=30, error_out=False)


def report_for(user, report_id: int) -> MessageReport:
    """A report, for an administrator; NotFound for anyone else."""
    found = db.session.get(MessageReport, report_id)
    if found is None or not permissions.can_view_report(user):
        raise NotFound()
    return found


def close(user, found: MessageReport) -> None:
    """An administrator closes a report once handled (audited)."""
    if not permissions.can_view_report(user):
        raise NotFound()
    found.status, found.handled_by_id = CLOSED, user.id
    audit.record(user, "messages.report_closed", found, at=utcnow().isoformat())
    db.session.commit()
