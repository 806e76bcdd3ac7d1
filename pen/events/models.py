"""Events: webinars, workshops, meetings, conferences; their sessions and registrations.

An event has one or several sessions (a webinar held on four days is one event
with four sessions). Moments are stored in UTC; ``Event.timezone`` is the zone
the organiser entered them in and the zone pages show them in. ``starts_at`` and
``ends_at`` on the event are the first session's start and the last session's
end, kept in step by the service so the calendar can filter events by index.
Materials are library documents named by id (no foreign key: the library is a
sibling area, resolved through the groups' "document" link kind).
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..types import UTCDateTime, utcnow

WEBINAR, WORKSHOP, MEETING, CONFERENCE = "webinar", "workshop", "meeting", "conference"
KINDS = (WEBINAR, WORKSHOP, MEETING, CONFERENCE)
AUDIENCES = ("ocp", "nfp", "dna", "other")
NO_REGISTRATION, OPEN_REGISTRATION, THROUGH_OCP = "none", "open", "ocp"
REGISTRATION_MODES = (NO_REGISTRATION, OPEN_REGISTRATION, THROUGH_OCP)
PENDING, CONFIRMED, WAITLISTED, DECLINED, CANCELLED = (
    "pending", "confirmed", "waitlisted", "declined", "cancelled")
REGISTRATION_STATUSES = (PENDING, CONFIRMED, WAITLISTED, DECLINED, CANCELLED)
ACTIVE_STATUSES = (PENDING, CONFIRMED, WAITLISTED)


class Event(db.Model):
    """A webinar, workshop, meeting or conference of the network."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_kind_starts", "kind", "starts_at"),
                      Index("ix_events_region_starts", "region", "starts_at"),
                      Index("ix_events_group_starts", "group_id", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default=WORKSHOP)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    venue: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    audience: Mapped[str] = mapped_column(String(64), default="")  # "ocp nfp other"
    audience_note: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str | None] = mapped_column(String(48))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    registration: Mapped[str] = mapped_column(String(8), default=NO_REGISTRATION)
    capacity: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organiser: Mapped[User | None] = relationship()
    sessions: Mapped[list["EventSession"]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="EventSession.starts_at",
        back_populates="event")
    materials: Mapped[list["EventMaterial"]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="EventMaterial.id")

    @property
    def audience_codes(self) -> list[str]:
        """The audience as codes ("ocp", "nfp", "dna", "other")."""
        return self.audience.split()

    @property
    def takes_registrations(self) -> bool:
        """Whether members register for this event."""
        return self.registration != NO_REGISTRATION


class EventSession(db.Model):
    """One sitting of an event, with its own start and end."""

    __tablename__ = "event_sessions"
    __table_args__ = (Index("ix_event_sessions_event_starts", "event_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="sessions")


class EventMaterial(db.Model):
    """A library document that goes with an event (slides, report, recording notes)."""

    __tablename__ = "event_materials"
    __table_args__ = (UniqueConstraint("event_id", "document_id",
                                       name="uq_event_materials_event_document"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(Integer)


class Registration(db.Model):
    """A member's registration: pending (an OCP's endorsement), confirmed, waitlisted,
    declined or cancelled. One row per member and event; registering again after
    cancelling reopens it."""

    __tablename__ = "event_registrations"
    __table_args__ = (UniqueConstraint("event_id", "user_id",
                                       name="uq_event_registrations_event_user"),
                      Index("ix_event_registrations_event_status", "event_id", "status",
                            "created_at"),
                      Index("ix_event_registrations_status_country", "status", "country"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    country: Mapped[str | None] = mapped_column(String(2))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
