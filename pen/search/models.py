"""The search outbox: index changes waiting to be applied to Whoosh.

A row is written in the same transaction as the content it describes, so the
index learns of exactly the changes that were committed; the worker applies the
rows and deletes them only once the index commit has succeeded.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime, utcnow

UPSERT = "upsert"
DELETE = "delete"
OPERATIONS = (UPSERT, DELETE)


class SearchOutbox(db.Model):
    """One pending index change: (re)index or remove object ``object_id`` of ``kind``."""

    __tablename__ = "search_outbox"
    __table_args__ = (Index("ix_search_outbox_kind_object", "kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(8), default=UPSERT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        """Operation, kind and object, for logs and debugging."""
        return f"<SearchOutbox {self.id} {self.op} {self.kind}:{self.object_id}>"


def enqueue(kind: str, object_id: int, op: str = UPSERT) -> SearchOutbox:
    """Queue an index change in the caller's transaction (the caller commits).

    ``op`` is ``"upsert"`` (index the object as the database now has it; an
    object the adapter no longer returns is removed) or ``"delete"``.
    """
    if op not in OPERATIONS:
        raise ValueError(f"unknown search outbox operation {op!r}")
    row = SearchOutbox(kind=kind, object_id=int(object_id), op=op)
    db.session.add(row)
    return row
