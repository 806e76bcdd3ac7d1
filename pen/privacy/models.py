"""The privacy notice administrators edit, and members' data exports."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime, utcnow

NOTICE_ID = 1


class PrivacyNotice(db.Model):
    """The privacy notice (a single row): its Markdown and the sanitised HTML of it."""

    __tablename__ = "privacy_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


QUEUED, READY, FAILED = "queued", "ready", "failed"


class DataExport(db.Model):
    """A member's "download my data": queued, prepared by the worker into a zip under
    ``DATA_DIR/exports/``, then ready behind a link (its token's digest kept here)."""

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=QUEUED, index=True)
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    stored_name: Mapped[str | None] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccountClosure(db.Model):
    """A member closing their account: erased once ``erase_after`` has passed, unless
    they sign in before (which keeps the account)."""

    __tablename__ = "account_closures"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erase_after: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
