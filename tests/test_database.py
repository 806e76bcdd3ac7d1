"""The database's connections: SQLite's write-ahead log, PostgreSQL's check of idle ones."""

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from pen import database
from pen.auth import service
from pen.auth.models import User
from pen.extensions import db

from .conftest import CHEAP_HASH, PASSWORD


def test_sqlite_commits_while_another_process_holds_a_long_read(app_factory, pg_schema):
    """A rebuild streaming every row must not make another process's commit fail with
    "database is locked" (the rollback journal's reader lock; not with a write-ahead log)."""
    if pg_schema is not None:
        pytest.skip("SQLite's journal")
    app = app_factory(SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 1}},
                      PASSWORD_HASH=CHEAP_HASH)
    with app.app_context():
        service.create_user("first@example.org", "First", PASSWORD, ())
        db.session.commit()
        reader = sqlite3.connect(db.engine.url.database, isolation_level=None)
        try:
            reader.execute("BEGIN")
            assert reader.execute("SELECT count(*) FROM users").fetchone() == (1,)
            service.create_user("second@example.org", "Second", PASSWORD, ())
            db.session.commit()
            assert reader.execute("SELECT count(*) FROM users").fetchone() == (1,)
            reader.execute("COMMIT")
            assert reader.execute("SELECT count(*) FROM users").fetchone() == (2,)
        finally:
            reader.close()
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.query(User).count() == 2


def _pooled_backend(app) -> int:
    """Use the pool's connection once and give it back; the server process behind it."""
    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.remove()
    return pid


def _cut(app, pid: int) -> None:
    """End server process ``pid`` from another connection, as a restart or a firewall
    would, and wait until the server has let it go."""
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    with other.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
        gone = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p")
        while connection.execute(gone, {"p": pid}).scalar():
            connection.rollback()  # a fresh snapshot of the server's activity each time
    other.dispose()


@pytest.fixture
def pg_app(app, pg_schema):
    """The app, on PostgreSQL only."""
    if pg_schema is None:
        pytest.skip("PostgreSQL's pool")
    return app


def test_an_idle_connection_the_server_dropped_is_replaced_unseen(pg_app, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0)
    pid = _pooled_backend(pg_app)
    _cut(pg_app, pid)
    assert _pooled_backend(pg_app) != pid


def test_a_connection_used_a_moment_ago_is_not_checked(pg_app, monkeypatch):
    """No round trip before each request on a busy server: a connection back in the pool
    for less than the idle limit is used as it is. If the server dropped it meanwhile,
    that one use fails and the pool connects afresh for the next."""
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600)
    pid = _pooled_backend(pg_app)
    _cut(pg_app, pid)
    with pytest.raises(OperationalError), pg_app.app_context():
        db.session.execute(text("SELECT 1"))
    assert _pooled_backend(pg_app) != pid
