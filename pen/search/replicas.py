"""This server's copy of the indexes (a *replica*) and how far it has followed the log.

Each server keeps its indexes on its own disk (Whoosh's locks and memory maps
are for local disks) in ``INDEX_DIR``. The folder names itself: a random id
written once into ``INDEX_DIR/replica-id``. Delete the folder and the server
becomes a new replica, which rebuilds. Its progress in the log is kept in the
database, one ``SearchReplica`` row per kind, so every server can see every
other's (``search replicas``) and the log is pruned only behind all of them.
"""

import os
import secrets
import socket
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..types import utcnow
from .changelog import Position
from .models import SearchReplica

REPLICA_FILE = "replica-id"
HEARTBEAT_SECONDS = 15


def index_root() -> Path:
    """The folder holding this server's indexes, one subfolder per kind."""
    return Path(current_app.config["INDEX_DIR"])


def replica_id() -> str:
    """This index folder's id, created the first time it is asked for."""
    path = index_root() / REPLICA_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # another process of this server named it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(16))
    return path.read_text().strip()


def replica_name() -> str:
    """How this replica is shown to operators: ``SEARCH_REPLICA_NAME`` or host and folder."""
    return current_app.config.get("SEARCH_REPLICA_NAME") or (
        f"{socket.gethostname()}:{index_root()}")


def cursor(kind: str) -> Position | None:
    """How far this replica's index of ``kind`` has applied the log; None if never built."""
    row = db.session.get(SearchReplica, (replica_id(), kind))
    return Position(row.applied_key, row.applied_id) if row else None


def advance(kind: str, position: Position, *, rebuilt: bool = False) -> None:
    """Record that the index of ``kind`` holds every change up to ``position``; commits.

    Positions only move forward, unless the index was rebuilt (then it is exactly
    where the rebuild began reading).
    """
    for _attempt in range(2):
        row = _row(kind)
        if rebuilt or Position(row.applied_key or 0, row.applied_id or 0) < position:
            row.applied_key, row.applied_id = position
        now = utcnow()
        row.applied_at = row.seen_at = now
        row.failures, row.last_error = 0, None
        try:
            db.session.commit()
            return
        except IntegrityError:  # another process of this server created the row first
            db.session.rollback()


def record_failure(kind: str, message: str) -> int:
    """Count a failed attempt to apply the log to ``kind``; the consecutive failures."""
    row = _row(kind)
    row.failures = (row.failures or 0) + 1
    row.last_error = message[:2000]
    row.seen_at = utcnow()
    failures = row.failures
    db.session.commit()
    return failures


def failures(kind: str) -> int:
    """Consecutive failures applying the log to this replica's ``kind``."""
    row = db.session.get(SearchReplica, (replica_id(), kind))
    return row.failures if row else 0


def heartbeat() -> None:
    """Tell the others this replica's worker is alive (one write per ``HEARTBEAT_SECONDS``)."""
    now = utcnow()
    db.session.execute(
        update(SearchReplica)
        .where(SearchReplica.replica == replica_id(),
               SearchReplica.seen_at < now - timedelta(seconds=HEARTBEAT_SECONDS))
        .values(seen_at=now, name=replica_name()))
    db.session.commit()


def rows_of_this_replica() -> list[SearchReplica]:
    """This replica's rows, one per kind it has built."""
    return list(db.session.scalars(select(SearchReplica)
                                   .where(SearchReplica.replica == replica_id())))


def all_rows() -> list[SearchReplica]:
    """Every replica's rows, for ``search replicas``."""
    return list(db.session.scalars(select(SearchReplica)
                                   .order_by(SearchReplica.name, SearchReplica.kind)))


def _row(kind: str) -> SearchReplica:
    """This replica's row for ``kind``, created (unsaved) if missing."""
    key = (replica_id(), kind)
    row = db.session.get(SearchReplica, key)
    if row is None:
        row = SearchReplica(replica=key[0], kind=kind, name=replica_name(), applied_key=0,
                            applied_id=0, failures=0)
        db.session.add(row)
    return row
