"""The search change log: index changes every server applies to its own index.

A row is written in the same transaction as the content it describes, so the
log holds exactly the changes that were committed. The log is append-only:
each server (a *replica*: one index folder) records in ``search_replicas`` how
far it has applied it, per kind, and rows are pruned once every live replica
has passed them or they are older than ``SEARCH_LOG_RETENTION_HOURS``
(``search_log_pruned`` remembers how far, so a replica left behind rebuilds).

The order of the log is the order of commits, not of ids: on PostgreSQL two
transactions may take ids 7 and 8 and commit as 8, then 7. So each row also
records its transaction id (``txid``), and a reader only takes rows of
transactions that have all finished (``changelog.horizon``). SQLite commits one
writer at a time, in id order, and leaves ``txid`` empty.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..types import UTCDateTime, utcnow

UPSERT = "upsert"
DELETE = "delete"
OPERATIONS = (UPSERT, DELETE)


class current_txid(FunctionElement):
    """The id of the writing transaction on PostgreSQL; NULL elsewhere."""

    type = BigInteger()
    inherit_cache = True


@compiles(current_txid)
def _no_txid(element, compiler, **kw) -> str:
    """SQLite: commits are serial, the row id is the order."""
    return "NULL"


@compiles(current_txid, "postgresql")
def _pg_txid(element, compiler, **kw) -> str:
    """PostgreSQL 13+: this transaction's 64-bit id, as a bigint."""
    return "pg_current_xact_id()::text::bigint"


class SearchLog(db.Model):
    """One index change: (re)index or remove object ``object_id`` of ``kind``."""

    __tablename__ = "search_log"
    __table_args__ = (
        Index("ix_search_log_kind_id", "kind", "id"),
        Index("ix_search_log_kind_txid_id", "kind", "txid", "id"),
        Index("ix_search_log_created_at", "created_at"),
        # SQLite would otherwise reuse the id of a pruned last row, behind every cursor.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(8), default=UPSERT)
    txid: Mapped[int | None] = mapped_column(BigInteger, default=current_txid())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        """Operation, kind and object, for logs and debugging."""
        return f"<SearchLog {self.id} {self.op} {self.kind}:{self.object_id}>"


class SearchReplica(db.Model):
    """How far one server's index of one kind has applied the log.

    Every row up to (``applied_key``, ``applied_id``) in log order is in that
    index. ``seen_at`` is the worker's heartbeat; ``last_error`` the last
    failure applying the log, cleared by the next success.
    """

    __tablename__ = "search_replicas"

    replica: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    applied_key: Mapped[int] = mapped_column(BigInteger, default=0)
    applied_id: Mapped[int] = mapped_column(BigInteger, default=0)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class SearchLogPruned(db.Model):
    """The last log position of a kind already pruned: a replica below it must rebuild."""

    __tablename__ = "search_log_pruned"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    pruned_key: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_id: Mapped[int] = mapped_column(BigInteger, default=0)


def enqueue(kind: str, object_id: int, op: str = UPSERT) -> SearchLog:
    """Log an index change in the caller's transaction (the caller commits).

    ``op`` is ``"upsert"`` (index the object as the database now has it; an
    object the adapter no longer returns is removed) or ``"delete"``.
    """
    if op not in OPERATIONS:
        raise ValueError(f"unknown search log operation {op!r}")
    row = SearchLog(kind=kind, object_id=int(object_id), op=op)
    db.session.add(row)
    return row


class SearchSynonym(db.Model):
    """A group of words and names that mean the same thing to the network's experts.

    Maintained by administrators (``synonyms.py``); a search for any term of a group also
    finds the others, at a lower score. ``terms`` holds the group's terms, one a line.
    """

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def term_list(self) -> list[str]:
        """The terms, in the order they were given."""
        return [t for t in (self.terms or "").split("\n") if t]
