"""In-site notifications, each member's email choice, and personal feed keys."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..types import UTCDateTime, utcnow
from . import texts

EMAIL_IMMEDIATE = "immediate"
EMAIL_DIGEST = "digest"
EMAIL_NONE = "none"
EMAIL_MODES = (EMAIL_IMMEDIATE, EMAIL_DIGEST, EMAIL_NONE)

# Notification.email_state: waiting for the member's chosen email, or done with.
PENDING = "pending"
SENT = "sent"
DROPPED = "dropped"  # no longer visible to them, read already, or email turned off


class Notification(db.Model):
    """Something a member should know about: a kind, a target, a title and a link."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_email_state_user", "email_state", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500))
    excerpt: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_state: Mapped[str | None] = mapped_column(String(12))
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Joined so the list shows who acted, with their face, from the query it already runs.
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (see ``texts``)."""
        return texts.show(self.title)

    @property
    def shown_excerpt(self) -> str:
        """The excerpt in the reader's language."""
        return texts.show(self.excerpt)


class NotificationSettings(db.Model):
    """A member's choice of email: each notification at once, a daily digest, or none."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    email_mode: Mapped[str] = mapped_column(String(12), default=EMAIL_IMMEDIATE)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FeedKey(db.Model):
    """The secret behind a member's personal feed links; a new nonce revokes the old links."""

    __tablename__ = "feed_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReplyKey(db.Model):
    """The version of a member's reply-by-email addresses: a new one revokes the old."""

    __tablename__ = "reply_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
