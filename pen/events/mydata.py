"""What the events hold of a member, for "download my data": their registrations."""

from sqlalchemy import select

from ..extensions import db
from .models import Event, Registration


def registrations(user) -> tuple[list, list]:
    """The member's registrations, with the event's title and dates."""
    rows = db.session.execute(
        select(Registration, Event.title).join(Event, Registration.event_id == Event.id)
        .where(Registration.user_id == user.id).order_by(Registration.created_at)).all()
    return [{"event": title, "status": r.status, "country": r.country, "note": r.note,
             "created_at": r.created_at.isoformat()} for r, title in rows], []
