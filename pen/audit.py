"""The audit log: who did what to which object, and when.

``record`` adds a row to the current transaction, so an action and its audit
entry are committed (or rolled back) together.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One audited action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


def record(actor, action: str, target=None, **detail) -> AuditEntry:
    """Add an audit entry for ``actor`` (a user or None for the system) doing ``action``."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=getattr(target, "__tablename__", None),
        target_id=str(target.id) if target is not None else None,
        detail=detail,
    )
    db.session.add(entry)
    return entry


def query(action: str | None = None) -> Select:
    """Entries newest first, optionally of one action, ready to paginate."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return stmt.where(AuditEntry.action == action) if action else stmt


def for_target(target, limit: int = 20) -> list[AuditEntry]:
    """The latest entries about one object."""
    stmt = query().where(AuditEntry.target_type == target.__tablename__,
                         AuditEntry.target_id == str(target.id))
    return list(db.session.scalars(stmt.limit(limit)))


def actor_names(entries: list[AuditEntry]) -> dict[int, str]:
    """Display names of the entries' actors, fetched in one query."""
    ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
    if not ids:
        return {}
    users = db.metadata.tables["users"]
    rows = db.session.execute(select(users.c.id, users.c.display_name).where(users.c.id.in_(ids)))
    return {user_id: name for user_id, name in rows}
