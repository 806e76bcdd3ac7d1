"""Private conversations: participants, messages, their files; who may write to whom.

A participant added later sees the whole conversation, from its first message:
what was said before is part of what they are asked to join (the page says so
when adding someone). Someone who left sees the conversation no more.
"""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..types import UTCDateTime, utcnow
from ..visibility import Is

# Who may start a conversation with a member (MessageSettings.who).
WRITE_EVERYONE, WRITE_GROUPS, WRITE_NOBODY = "everyone", "groups", "nobody"
WRITE_CHOICES = (WRITE_EVERYONE, WRITE_GROUPS, WRITE_NOBODY)


class Conversation(db.Model):
    """A private conversation between two or more members."""

    __tablename__ = "message_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participants: Mapped[list["Participant"]] = relationship(
        back_populates="conversation", lazy="selectin", cascade="all, delete-orphan")


class Participant(db.Model):
    """A member in a conversation: since when, until when, and how far they have read."""

    __tablename__ = "message_participants"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),
                      Index("ix_message_participants_user_left", "user_id", "left_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("message_conversations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    user: Mapped[User] = relationship(lazy="joined")


# A participant who left no longer counts: declared beside its column, used by the rule.
PRESENT = Is("present", Participant.left_at, None)


class Message(db.Model):
    """One message of a conversation: Markdown and its sanitised HTML."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_created", "conversation_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("message_conversations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship()
    author: Mapped[User | None] = relationship(lazy="joined")
    attachments: Mapped[list["MessageAttachment"]] = relationship(
        back_populates="message", lazy="selectin", cascade="all, delete-orphan")


class MessageAttachment(db.Model):
    """A file attached to a message, checked like a forum attachment."""

    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"),
                                            index=True)
    stored_name: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(100))
    inline: Mapped[bool] = mapped_column(Boolean, default=False)
    size: Mapped[int] = mapped_column(Integer)

    message: Mapped[Message] = relationship(back_populates="attachments")


class MessageSettings(db.Model):
    """Who may start a conversation with a member: everyone, their groups' members, nobody."""

    __tablename__ = "message_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    who: Mapped[str] = mapped_column(String(12), default=WRITE_EVERYONE)


class Block(db.Model):
    """A member blocked by another: no messages from them, their words hidden."""

    __tablename__ = "message_blocks"

    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MessageReport(db.Model):
    """A message reported to the administrators by a participant."""

    __tablename__ = "message_reports"
    __table_args__ = (Index("ix_message_reports_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"),
                                            index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, closed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_by_id: Mapped[int | None] = mapped_column(Integer)

    message: Mapped[Message] = relationship()
