"""How every connection to the database is set up and kept healthy.

**SQLite** runs in write-ahead-log mode, and a statement waits up to 30 s for another
process's write (``pen.config``). In SQLite's default rollback-journal mode a long
read — a search rebuild streaming every document, an export — keeps every other
process from committing, and after the default 5 s the writer fails with "database
is locked" (seen in ``search reindex --jobs 2``: one kind's commit behind another
kind's read). With a write-ahead log, readers and the one writer do not block each
other. The mode is stored in the database file (beside it: ``-wal`` and ``-shm``
files), so a copy made with SQLite's backup API carries it.

**PostgreSQL**: a connection taken from the pool after sitting idle longer than
``PING_AFTER_IDLE_SECONDS`` is checked with one round trip first; a dead one (server
restarted, idle connection cut by a firewall) is replaced before the request uses it.
SQLAlchemy's ``pool_pre_ping`` does the same on *every* checkout: one extra round trip
per request on a busy server, where connections are idle for milliseconds. A
connection the server drops while in use still fails that request; SQLAlchemy then
discards the whole pool, so the next requests connect afresh.
"""

import sqlite3
import time
from functools import partial

from flask import Flask
from sqlalchemy import event, exc

from .extensions import db

#: Seconds a pooled connection may sit unused before it is checked on checkout.
PING_AFTER_IDLE_SECONDS = 2.0
_CHECKED_IN = "pen.checked_in_at"


def register(app: Flask) -> None:
    """Set up the connections of ``app``'s engine (after ``db.init_app``)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_write_ahead_log)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "checkin", _note_checkin)
        event.listen(engine, "checkout", partial(_ping_if_idle, engine.dialect))


def _sqlite_write_ahead_log(connection: sqlite3.Connection, _record) -> None:
    """Put a new SQLite connection's database in write-ahead-log mode (a no-op when it
    already is, and for an in-memory database, which keeps its own mode)."""
    connection.execute("PRAGMA journal_mode=WAL").close()


def _note_checkin(_connection, record) -> None:
    """Remember when this connection went back to the pool."""
    record.info[_CHECKED_IN] = time.monotonic()


def _ping_if_idle(dialect, connection, record, _proxy) -> None:
    """Check a connection that sat in the pool for a while, the way ``pool_pre_ping``
    does (the dialect's ping, outside a transaction); a dead one is replaced: the pool
    retries the checkout when this raises ``DisconnectionError``."""
    checked_in = record.info.get(_CHECKED_IN)
    if checked_in is None or time.monotonic() - checked_in < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dialect.do_ping(connection)
    except Exception as error:  # the driver's own error class: any failure means dead
        raise exc.DisconnectionError(f"idle connection is gone ({error})") from error
