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

**PostgreSQL, requests that only read** (GET, HEAD, OPTIONS) start no transaction until
they write, the way Django runs every request by default: psycopg sends no ``BEGIN``
before the first statement and the session no ``ROLLBACK`` after the last, two round
trips of the three a signed-in page needs before its own work. What a page reads is the
same: at READ COMMITTED every statement sees its own snapshot, in a transaction or not.
The first statement that is not a SELECT (a session's "last seen", a topic's read mark)
begins a transaction, which the request commits or rolls back as any other: what a GET
writes is as atomic as what a POST does. Requests that change things (POST…) run in a
transaction from their first statement, as before.
"""

import sqlite3
import time
from functools import partial

from flask import Flask, has_request_context, request
from sqlalchemy import event, exc

from .extensions import db

#: Seconds a pooled connection may sit unused before it is checked on checkout.
PING_AFTER_IDLE_SECONDS = 2.0
_CHECKED_IN = "pen.checked_in_at"

#: Methods that do not change anything (RFC 9110 "safe"): no transaction until a write.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Marks a pooled connection put in autocommit for a read-only request, until it writes.
_UNTIL_FIRST_WRITE = "pen.until_first_write"


def register(app: Flask) -> None:
    """Set up the connections of ``app``'s engine (after ``db.init_app``)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_write_ahead_log)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "checkin", _note_checkin)
        event.listen(engine, "checkout", partial(_ping_if_idle, engine.dialect))
        event.listen(engine, "begin", _read_without_transaction)
        event.listen(engine, "before_cursor_execute", _begin_before_first_write)


def _sqlite_write_ahead_log(connection: sqlite3.Connection, _record) -> None:
    """Put a new SQLite connection's database in write-ahead-log mode (a no-op when it
    already is, and for an in-memory database, which keeps its own mode)."""
    connection.execute("PRAGMA journal_mode=WAL").close()


def _note_checkin(connection, record) -> None:
    """Remember when this connection went back to the pool; end the autocommit of a
    read-only request (the next user of the connection expects transactions)."""
    record.info[_CHECKED_IN] = time.monotonic()
    if record.info.pop(_UNTIL_FIRST_WRITE, False) and connection is not None:
        connection.autocommit = False


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


def _read_without_transaction(connection) -> None:
    """When a read-only request's session begins: psycopg in autocommit (no statement
    has been sent yet, so the connection is outside a transaction and may switch).
    A connection whose isolation level was chosen explicitly is left as it is."""
    if (has_request_context() and request.method in READ_ONLY_METHODS
            and "isolation_level" not in connection.get_execution_options()):
        pooled = connection.connection
        pooled.dbapi_connection.autocommit = True
        pooled.info[_UNTIL_FIRST_WRITE] = True


def _begin_before_first_write(connection, cursor, statement, _parameters, context, _many):
    """Before the first statement of such a request that is not a plain SELECT (or that
    streams its rows through a server-side cursor, which lives in a transaction):
    autocommit off, so psycopg sends ``BEGIN`` first, and the session's commit or
    rollback ends that transaction as in any other request."""
    if not (cursor.connection.autocommit and connection.connection.info.get(_UNTIL_FIRST_WRITE)):
        return
    if (statement.lstrip()[:6].upper() != "SELECT"
            or context.execution_options.get("stream_results")):
        cursor.connection.autocommit = False
