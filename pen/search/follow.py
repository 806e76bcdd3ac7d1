"""Following the change log into this server's indexes (the worker's ``search`` task).

One pass, for each kind: if this replica's index is missing, unreadable, of
another schema, never built here or left behind by pruning, it is rebuilt from
the database (here, never in a web request); otherwise the rows after its
position and below the log's horizon are read, coalesced per object and applied
under the index's single writer (``writer(timeout=…)``). The position moves
only after the index commit, so a process killed in between re-applies the
same rows next time, which is harmless: an upsert reads the database again.
Then the pass prunes what every live replica has applied.
"""

from dataclasses import dataclass, field

from flask import current_app
from whoosh.index import LockError

from ..extensions import db
from . import changelog, index, replicas
from .adapters import Adapter, registered
from .changelog import Position
from .models import DELETE, SearchLog


@dataclass
class DrainReport:
    """What one pass over the change log did on this server."""

    applied: int = 0
    failed: int = 0
    rebuilt: list[str] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        """True when the pass changed something, so ``worker --once`` goes on."""
        return bool(self.applied or self.failed or self.rebuilt)

    def __str__(self) -> str:
        """The line ``worker --once`` prints."""
        rebuilt = f", rebuilt {', '.join(self.rebuilt)}" if self.rebuilt else ""
        locked = f", waiting for the lock of {', '.join(self.locked)}" if self.locked else ""
        return f"{self.applied} applied, {self.failed} failed{rebuilt}{locked}"


def drain(limit: int | None = None) -> DrainReport:
    """Bring every index of this server up to the log's horizon (a batch per kind)."""
    report = DrainReport()
    batch = limit or int(current_app.config["SEARCH_DRAIN_BATCH"])
    end = changelog.horizon()
    for _kind, adapter in sorted(registered().items()):
        _follow_kind(adapter, end, batch, report)
    replicas.heartbeat()
    changelog.prune()
    return report


def _follow_kind(adapter: Adapter, end: Position, batch: int, report: DrainReport) -> None:
    """Rebuild the kind's index if it cannot follow, else apply its next batch."""
    position = replicas.cursor(adapter.kind)
    if position is None or position < changelog.pruned(adapter.kind) or not index.usable(adapter):
        _rebuild(adapter, report)
        return
    rows = changelog.rows_between(adapter.kind, position, end, batch)
    if rows:
        _apply(adapter, rows, report)


def _rebuild(adapter: Adapter, report: DrainReport) -> None:
    """Rebuild one kind from the database; a held lock leaves it for the next pass."""
    current_app.logger.warning("search index %r cannot follow the log here; rebuilding",
                               adapter.kind)
    try:
        index.rebuild(adapter)
    except LockError:
        report.locked.append(adapter.kind)
        return
    except Exception as exc:  # e.g. a full disk: said, and tried again next pass
        db.session.rollback()
        current_app.logger.exception("rebuilding search index %r failed", adapter.kind)
        replicas.record_failure(adapter.kind, f"rebuild failed: {type(exc).__name__}: {exc}")
        report.failed += 1
        return
    report.rebuilt.append(adapter.kind)


def _apply(adapter: Adapter, rows: list[SearchLog], report: DrainReport) -> None:
    """Apply rows under the writer, then move the position; failures are recorded."""
    kind = adapter.kind
    try:
        writer = index.open_writer(index.open_index(adapter))
    except LockError:
        report.locked.append(kind)
        return
    try:
        upserts, deletes = coalesce(rows)
        index.apply_changes(adapter, writer, upserts, deletes)
        writer.commit()
    except Exception as exc:
        _cancel(writer)
        _failed(adapter, rows, exc, report)
        return
    replicas.advance(kind, changelog.position_of(rows[-1]))
    report.applied += len(rows)


def coalesce(rows: list[SearchLog]) -> tuple[set[int], set[int]]:
    """(ids to upsert, ids to delete): the latest row of each object wins."""
    last_op: dict[int, str] = {}
    for row in rows:  # in log order
        last_op[row.object_id] = row.op
    deletes = {oid for oid, op in last_op.items() if op == DELETE}
    return set(last_op) - deletes, deletes


def _cancel(writer) -> None:
    """Drop a writer's uncommitted changes (a failed commit may already have)."""
    try:
        writer.cancel()
    except Exception:
        current_app.logger.debug("cancelling a failed search writer", exc_info=True)


def _failed(adapter: Adapter, rows: list[SearchLog], exc: Exception,
            report: DrainReport) -> None:
    """Count the failure; after ``SEARCH_MAX_ATTEMPTS`` set the batch's bad objects aside."""
    db.session.rollback()
    message = f"{type(exc).__name__}: {exc}"
    ids = sorted({row.object_id for row in rows})
    current_app.logger.error("search log: %s objects %s failed: %s", adapter.kind, ids, message)
    report.failed += len(rows)
    if replicas.record_failure(adapter.kind, message) >= int(
            current_app.config["SEARCH_MAX_ATTEMPTS"]):
        _apply_one_by_one(adapter, rows)


def _apply_one_by_one(adapter: Adapter, rows: list[SearchLog]) -> None:
    """Apply each object alone; the ones that still fail are named in the log and skipped,
    so one bad object cannot stop a kind (``search check`` then shows them)."""
    upserts, deletes = coalesce(rows)
    set_aside = []
    for object_id in sorted(upserts | deletes):
        try:
            writer = index.open_writer(index.open_index(adapter))
            index.apply_changes(adapter, writer, {object_id} & upserts, {object_id} & deletes)
            writer.commit()
        except Exception as exc:
            set_aside.append(object_id)
            current_app.logger.error("search log: %s %s set aside: %s: %s", adapter.kind,
                                     object_id, type(exc).__name__, exc)
    replicas.advance(adapter.kind, changelog.position_of(rows[-1]))
    if set_aside:
        replicas.record_failure(adapter.kind, f"set aside (run `search reindex --kind "
                                f"{adapter.kind}`): {set_aside}")
