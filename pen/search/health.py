"""Whether this server's search indexes and the worker that follows the log are current."""

from flask import current_app

from ..health import Check
from ..metrics import Figure
from ..types import utcnow
from . import changelog, index, replicas
from .adapters import Adapter, registered
from .changelog import Position
from .models import SearchReplica


def readiness() -> list[Check]:
    """One check per kind (built, readable, not behind, not failing) and one for the worker."""
    rows = {row.kind: row for row in replicas.rows_of_this_replica()}
    limit = float(current_app.config["SEARCH_READY_LAG_SECONDS"])
    checks = [_kind(adapter, rows.get(kind), limit) for kind, adapter in
              sorted(registered().items())]
    checks.append(_worker(list(rows.values()), limit))
    return checks


def _kind(adapter: Adapter, row: SearchReplica | None, limit: float) -> Check:
    """Built here, readable, within the pruned log, no failure, and at most ``limit`` s behind."""
    name = f"search:{adapter.kind}"
    if row is None or not index.usable(adapter):
        return Check(name, False, "being rebuilt by the worker")
    position = Position(row.applied_key, row.applied_id)
    if position < changelog.pruned(adapter.kind):
        return Check(name, False, "behind the pruned log; the worker rebuilds it")
    oldest = changelog.oldest_after(adapter.kind, position)
    lag = (utcnow() - oldest).total_seconds() if oldest else 0.0
    if row.failures:
        return Check(name, False, f"failing: {row.last_error}", lag)
    if lag > limit:
        return Check(name, False, f"{lag:.0f} s behind the change log", lag)
    return Check(name, True, "", lag)


def _worker(rows: list[SearchReplica], limit: float) -> Check:
    """The worker following the log here was seen within ``limit`` seconds."""
    if not rows:
        return Check("worker", False, "no worker has followed the log on this server")
    seen = max(row.seen_at for row in rows)
    silent = (utcnow() - seen).total_seconds()
    if silent > max(limit, 4 * replicas.HEARTBEAT_SECONDS):
        return Check("worker", False, f"not seen for {silent:.0f} s", silent)
    return Check("worker", True, "", silent)


def figures() -> list[Figure]:
    """For ``/metrics``: every server's lag per kind and how long since its worker was seen,
    read from the database, so one scrape of any server shows them all."""
    now, found = utcnow(), []
    for row in replicas.all_rows():
        labels = {"replica": row.name or row.replica, "kind": row.kind}
        oldest = changelog.oldest_after(row.kind, Position(row.applied_key, row.applied_id))
        found.append(Figure("pen_search_lag_seconds", "Age of the oldest change a server's "
                            "index has not applied.",
                            (now - oldest).total_seconds() if oldest else 0.0, labels))
        found.append(Figure("pen_search_worker_silent_seconds", "Seconds since a server's "
                            "worker followed the log.", (now - row.seen_at).total_seconds(),
                            labels))
        found.append(Figure("pen_search_failures", "Failed passes in a row over a kind.",
                            row.failures, labels))
    return found
