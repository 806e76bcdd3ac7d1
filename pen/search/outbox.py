"""Draining the search outbox into Whoosh (a worker task).

One pass reads a batch of rows, coalesces them per object, and for each kind
takes the index's single writer (``writer(timeout=…)``). If another process
holds it, the rows stay for the next pass. Rows are deleted only after the
index commit succeeded; re-applying a row is harmless, since an upsert reads
the object from the database again.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, select, update
from whoosh.index import LockError

from ..extensions import db
from . import index
from .adapters import get_adapter
from .models import DELETE, SearchOutbox


@dataclass
class DrainReport:
    """What one pass over the search outbox did."""

    applied: int = 0
    failed: int = 0
    locked: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        """True when the pass changed something, so ``worker --once`` goes on."""
        return bool(self.applied or self.failed)

    def __str__(self) -> str:
        """The line ``worker --once`` prints."""
        locked = f", waiting for the lock of {', '.join(self.locked)}" if self.locked else ""
        return f"{self.applied} applied, {self.failed} failed{locked}"


def drain(limit: int | None = None) -> DrainReport:
    """Apply a batch of pending rows to the indexes, one writer per kind."""
    report = DrainReport()
    rows = pending_rows(limit or int(current_app.config["SEARCH_DRAIN_BATCH"]))
    by_kind: dict[str, list[SearchOutbox]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    for kind, kind_rows in by_kind.items():
        _drain_kind(kind, kind_rows, report)
    return report


def pending_rows(limit: int) -> list[SearchOutbox]:
    """The oldest rows not yet given up on."""
    max_attempts = int(current_app.config["SEARCH_MAX_ATTEMPTS"])
    query = (select(SearchOutbox).where(SearchOutbox.attempts < max_attempts)
             .order_by(SearchOutbox.id).limit(limit))
    return list(db.session.scalars(query))


def coalesce(rows: list[SearchOutbox]) -> tuple[set[int], set[int]]:
    """(ids to upsert, ids to delete): the latest row of each object wins."""
    last_op: dict[int, str] = {}
    for row in sorted(rows, key=lambda r: r.id):
        last_op[row.object_id] = row.op
    deletes = {oid for oid, op in last_op.items() if op == DELETE}
    return set(last_op) - deletes, deletes


def _drain_kind(kind: str, rows: list[SearchOutbox], report: DrainReport) -> None:
    """Apply one kind's rows under its writer; delete them after the index commit."""
    try:
        adapter = get_adapter(kind)
        writer = index.open_writer(index.open_index(adapter))
    except LockError:
        report.locked.append(kind)
        return
    except Exception as exc:
        _record_failure(rows, exc, report)
        return
    try:
        upserts, deletes = coalesce(rows)
        index.apply_changes(adapter, writer, upserts, deletes)
    except Exception as exc:
        writer.cancel()
        _record_failure(rows, exc, report)
        return
    try:
        writer.commit()
    except Exception as exc:
        _record_failure(rows, exc, report)
        return
    _delete_rows(rows)
    report.applied += len(rows)


def _delete_rows(rows: list[SearchOutbox]) -> None:
    """Remove applied rows (only those read: newer ones for the same object stay)."""
    ids = [row.id for row in rows]
    db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(ids)))
    db.session.commit()


def _record_failure(rows: list[SearchOutbox], exc: Exception, report: DrainReport) -> None:
    """Count an attempt on each row and keep the error; the rows stay."""
    ids = [row.id for row in rows]
    db.session.rollback()
    message = f"{type(exc).__name__}: {exc}"[:2000]
    current_app.logger.error("search outbox rows %s failed: %s", ids, message)
    db.session.execute(update(SearchOutbox).where(SearchOutbox.id.in_(ids))
                       .values(attempts=SearchOutbox.attempts + 1, last_error=message))
    db.session.commit()
    report.failed += len(rows)
