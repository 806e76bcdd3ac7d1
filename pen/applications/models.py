"""Applications to join the network, and the questions and answers about them.

An application is seen by nobody until its email is confirmed (``UNCONFIRMED``).
Confirmed, it waits in the Secretariat's queue (``WAITING``); a reviewer may ask
for more information (``INFO_REQUESTED``: the applicant's answer puts it back to
``WAITING``), approve it (an invited account is created) or decline it.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..types import UTCDateTime, utcnow

UNCONFIRMED, WAITING, INFO_REQUESTED, APPROVED, DECLINED = (
    "unconfirmed", "waiting", "info_requested", "approved", "declined")
#: an application in one of these states blocks a second one from the same email
OPEN_STATES = (UNCONFIRMED, WAITING, INFO_REQUESTED)
OPEN_WHERE = "status IN ('unconfirmed', 'waiting', 'info_requested')"
#: the states the Secretariat's queue shows (an unconfirmed email is seen by nobody)
QUEUE_STATES = (WAITING, INFO_REQUESTED, APPROVED, DECLINED)
QUESTION, ANSWER = "question", "answer"

# Per-field limits, shared by the form, the service and the columns.
NAME_MAX, EMAIL_MAX, ORGANISATION_MAX = 200, 254, 200
EXPERTISE_MAX, MOTIVATION_MAX, MESSAGE_MAX = 1000, 3000, 3000


class Application(db.Model):
    """A person asking to join PEN, as they wrote it, and where their application stands."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_status_created", "status", "created_at"),
        # One open application per address, even when two forms arrive at the same moment.
        Index("uq_applications_open_email", "email", unique=True,
              postgresql_where=text(OPEN_WHERE), sqlite_where=text(OPEN_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=UNCONFIRMED)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), index=True)  # normalised
    #: the name and country folded (case, accents, spaces), to find the same person again
    person_key: Mapped[str] = mapped_column(String(NAME_MAX + 3), index=True)
    organisation: Mapped[str] = mapped_column(String(ORGANISATION_MAX))
    organisation_type: Mapped[str] = mapped_column(String(32), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    convention_role: Mapped[str] = mapped_column(String(16))
    expertise_ids: Mapped[list] = mapped_column(JSON, default=list)
    expertise_text: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list] = mapped_column(JSON, default=list)
    motivation: Mapped[str] = mapped_column(Text)
    group_ids: Mapped[list] = mapped_column(JSON, default=list)
    locale: Mapped[str] = mapped_column(String(8))  # the language the applicant is written to in
    #: why the Secretariat should look twice: [{"kind": ..., "id": ..., "label": ...}]
    duplicates: Mapped[list] = mapped_column(JSON, default=list)
    flagged: Mapped[bool] = mapped_column(default=False, index=True)
    #: the link of the moment: confirming the email, or answering a question
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the last mail the form caused (a link, "already open"): one per few minutes at most
    last_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_message: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    messages: Mapped[list["ApplicationMessage"]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationMessage.id")

    @property
    def is_open(self) -> bool:
        """Not yet decided: a second application from this email is refused."""
        return self.status in OPEN_STATES


class ApplicationMessage(db.Model):
    """A reviewer's question about an application, or the applicant's answer."""

    __tablename__ = "application_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # question, answer
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
