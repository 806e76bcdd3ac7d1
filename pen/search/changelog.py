"""Reading the search log in commit order, and pruning what every replica has applied.

A position in the log is a pair (key, id), compared as a tuple: on PostgreSQL
the key is the writing transaction's id, on SQLite the row id itself (commits
there are serial and in id order). ``horizon()`` is the first key that may
still be written to: every transaction below it has finished, so the rows below
it are all visible and no new one will appear there. A reader takes rows below
the horizon only, which is how no row committed late is ever skipped.
"""

from datetime import timedelta
from functools import cache
from typing import NamedTuple

from flask import current_app
from sqlalchemy import (
    ARRAY,
    BigInteger,
    String,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..types import utcnow
from .models import SearchLog, SearchLogPruned, SearchReplica


class Position(NamedTuple):
    """A place in the log: every row at or before (key, id) is behind it."""

    key: int
    id: int


START = Position(0, 0)


def _postgres() -> bool:
    """Whether the log is ordered by transaction ids (PostgreSQL) or row ids (SQLite)."""
    return db.engine.dialect.name == "postgresql"


def key_column():
    """The column that orders the log: ``txid`` on PostgreSQL, ``id`` on SQLite."""
    return SearchLog.txid if _postgres() else SearchLog.id


# The oldest transaction that may still write here: one running in this database (or one
# whose database cannot be seen), this session's own, or any later one (xmax). A snapshot's
# xmin would do, but it spans the whole server: a long transaction in another database (a
# dump, another application) would hold back search here for as long as it runs. Sessions
# of other databases are recognised by their ``backend_xid``; one not recognised (hidden
# from this role) stays a barrier, so the horizon errs late.
#
# The other databases' transactions are read first, in a statement of their own, and the
# snapshot after: one of them that ends in between is simply not in the snapshot. Read the
# other way round (or in one statement, where PostgreSQL may evaluate either first), one
# that ends in between is in the snapshot but no longer listed, and holds back the rows
# committed after it began until the next pass.
_OTHER_DATABASES_XIDS = text("""
    SELECT coalesce(array_agg(backend_xid::text::bigint), '{}') FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL
      AND datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
""")
_POSTGRES_HORIZON = text("""
    WITH snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s)
    SELECT least(
        pg_snapshot_xmax(s)::text::bigint,
        pg_current_xact_id_if_assigned()::text::bigint,
        (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) AS x
         WHERE x::text::bigint % 4294967296 <> ALL(:elsewhere)))
    FROM snap
""").bindparams(bindparam("elsewhere", type_=ARRAY(BigInteger)))


def horizon() -> Position:
    """The position below which the log is complete and will never change."""
    if _postgres():
        elsewhere = db.session.scalar(_OTHER_DATABASES_XIDS)
        return Position(int(db.session.scalar(_POSTGRES_HORIZON, {"elsewhere": elsewhere})), 0)
    last = db.session.scalar(select(func.max(SearchLog.id))) or 0
    return Position(last + 1, 0)


def after(position: Position):
    """The SQL condition: rows later than ``position``."""
    if _postgres():
        return tuple_(SearchLog.txid, SearchLog.id) > tuple_(position.key, position.id)
    # SQLite: a row's key is its id, so (id, id) > (key, id') reads as below.
    if position.key > position.id:
        return SearchLog.id >= position.key
    return SearchLog.id > position.key


def before(position: Position):
    """The SQL condition: rows at or before ``position``."""
    return ~after(position)


def position_of(row: SearchLog) -> Position:
    """Where a row stands in the log."""
    return Position(row.txid if _postgres() else row.id, row.id)


def rows_between(kind: str, start: Position, end: Position, limit: int) -> list[SearchLog]:
    """Up to ``limit`` rows of ``kind`` after ``start`` and below the horizon ``end``."""
    key = key_column()
    query = (select(SearchLog)
             .where(SearchLog.kind == kind, after(start), key < end.key)
             .order_by(key, SearchLog.id).limit(limit))
    return list(db.session.scalars(query))


def pending_objects(kind: str, position: Position, limit: int) -> list[int]:
    """Ids of objects of ``kind`` with changes after ``position`` (not applied here yet)."""
    query = (select(SearchLog.object_id).where(SearchLog.kind == kind, after(position))
             .distinct().limit(limit))
    return list(db.session.scalars(query))


def pending_here(kind: str, replica: str, limit: int) -> list[int]:
    """``pending_objects`` after replica ``replica``'s own position for ``kind`` (the log's
    start when it has none), in one statement: the position is read inside it, as a
    one-row table, instead of by a statement of its own before it (every search asks)."""
    statement = _pending_statement(_postgres(), limit)
    return list(db.session.scalars(statement, {"kind": kind, "replica": replica}))


@cache
def _pending_statement(postgres: bool, limit: int):
    """``pending_here``'s statement, built once per dialect (bound: ``kind``, ``replica``)."""
    kind = bindparam("kind", type_=String)
    cursor = (select(func.coalesce(func.max(SearchReplica.applied_key), 0).label("key"),
                     func.coalesce(func.max(SearchReplica.applied_id), 0).label("id"))
              .where(SearchReplica.replica == bindparam("replica", type_=String),
                     SearchReplica.kind == kind)
              .subquery())
    return (select(SearchLog.object_id)
            .join(cursor, _after_columns(cursor.c.key, cursor.c.id, postgres))
            .where(SearchLog.kind == kind).distinct().limit(limit))


def _after_columns(key, id_, postgres: bool):
    """``after`` with the position given as SQL expressions (columns of another table)."""
    if postgres:
        return tuple_(SearchLog.txid, SearchLog.id) > tuple_(key, id_)
    # SQLite, as ``after``: from the key itself when key > id, else from the row after it.
    return SearchLog.id >= key + case((key > id_, 0), else_=1)


def oldest_after(kind: str, position: Position):
    """When the oldest change of ``kind`` after ``position`` was logged, or None."""
    return db.session.scalar(select(func.min(SearchLog.created_at))
                             .where(SearchLog.kind == kind, after(position)))


def pruned(kind: str) -> Position:
    """The last position of ``kind`` already pruned from the log."""
    row = db.session.get(SearchLogPruned, kind)
    return Position(row.pruned_key, row.pruned_id) if row else START


def prune() -> int:
    """Delete the rows every live replica has applied, and those past the retention; how many.

    Every kind in the log is pruned, registered or not (a kind an upgrade retired
    leaves rows that only the retention removes).
    """
    config = current_app.config
    live_since = utcnow() - timedelta(minutes=float(config["SEARCH_REPLICA_LIVE_MINUTES"]))
    retained_since = utcnow() - timedelta(hours=float(config["SEARCH_LOG_RETENTION_HOURS"]))
    kinds = list(db.session.scalars(select(SearchLog.kind).distinct()))
    try:
        removed = sum(_prune_kind(kind, live_since, retained_since) for kind in kinds)
        db.session.commit()
    except IntegrityError:  # another worker recorded the same mark first: its turn
        db.session.rollback()
        return 0
    return removed


def _prune_kind(kind: str, live_since, retained_since) -> int:
    """Prune one kind: below the slowest live replica, or older than the retention."""
    slowest = db.session.execute(
        select(SearchReplica.applied_key, SearchReplica.applied_id)
        .where(SearchReplica.kind == kind, SearchReplica.seen_at >= live_since)
        .order_by(SearchReplica.applied_key, SearchReplica.applied_id).limit(1)).first()
    doomed = SearchLog.created_at < retained_since
    if slowest is not None:
        doomed = or_(doomed, before(Position(*slowest)))
    key = key_column()
    last = db.session.execute(select(key, SearchLog.id).where(SearchLog.kind == kind, doomed)
                              .order_by(key.desc(), SearchLog.id.desc()).limit(1)).first()
    if last is None:
        return 0
    _record_pruned(kind, Position(*last))
    upto = and_(SearchLog.kind == kind, before(Position(*last)))
    return db.session.execute(delete(SearchLog).where(upto)).rowcount


def _record_pruned(kind: str, position: Position) -> None:
    """Move the pruned mark of ``kind`` forward to ``position`` (never back)."""
    row = db.session.get(SearchLogPruned, kind) or SearchLogPruned(kind=kind)
    if Position(row.pruned_key or 0, row.pruned_id or 0) < position:
        row.pruned_key, row.pruned_id = position
    db.session.add(row)
