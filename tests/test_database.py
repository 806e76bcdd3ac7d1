"""The database's connections: SQLite's write-ahead log, PostgreSQL's check of idle ones,
read-only requests without a transaction until they write."""

import sqlite3

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from pen import database
from pen.auth import access, service
from pen.auth.models import User
from pen.extensions import csrf, db

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
        pytest.skip("PostgreSQL only: its pool and transactions")
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


# Read-only requests on PostgreSQL: no transaction until the first write.

def _transaction_status() -> str:
    """What the server knows of this session's connection: IDLE (no transaction open)
    or INTRANS (inside one)."""
    dbapi = db.session.connection().connection.dbapi_connection
    return dbapi.info.transaction_status.name


def _rename(user_id: int, name: str) -> None:
    db.session.execute(text("UPDATE users SET display_name = :n WHERE id = :i"),
                       {"n": name, "i": user_id})


@pytest.fixture
def probe(pg_app, make_user):
    """Routes that report the transaction status around their statements, and a user
    they rename: ``(client, user_id, seen)``, ``seen`` listing each status reported."""
    user_id, seen = make_user().id, []

    def read():
        db.session.execute(text("SELECT count(*) FROM users"))
        seen.append(_transaction_status())
        return "read"

    def write(fail: int):
        read()
        _rename(user_id, "Renamed")
        seen.append(_transaction_status())
        if fail:
            raise RuntimeError("after the write")
        db.session.commit()
        return "written"

    def stream():
        rows = db.session.execute(select(User.id).execution_options(yield_per=1))
        names = [str(row.id) for row in rows]
        seen.append(_transaction_status())
        return " ".join(names)

    pg_app.add_url_rule("/_probe/stream", view_func=access.public(stream))
    pg_app.add_url_rule("/_probe/read", view_func=access.public(read), methods=["GET", "POST"])
    pg_app.add_url_rule("/_probe/write/<int:fail>", view_func=access.public(write))
    csrf.exempt(read)
    pg_app.config["PROPAGATE_EXCEPTIONS"] = False
    return pg_app.test_client(), user_id, seen


def _name_of(user_id: int) -> str:
    db.session.rollback()  # a fresh look at what other connections committed
    return db.session.scalar(text("SELECT display_name FROM users WHERE id = :i"), {"i": user_id})


def test_a_page_that_only_reads_leaves_no_transaction_open(probe):
    client, _user_id, seen = probe
    assert client.get("/_probe/read").status_code == 200
    assert seen == ["IDLE"]


def test_a_request_that_changes_things_runs_in_a_transaction(probe):
    client, _user_id, seen = probe
    assert client.post("/_probe/read").status_code == 200
    assert seen == ["INTRANS"]


def test_a_read_only_request_that_writes_begins_a_transaction_at_its_first_write(probe):
    client, user_id, seen = probe
    assert client.get("/_probe/write/0").status_code == 200
    assert seen == ["IDLE", "INTRANS"]
    assert _name_of(user_id) == "Renamed"


def test_what_a_read_only_request_wrote_before_it_failed_is_rolled_back(probe):
    client, user_id, seen = probe
    before = _name_of(user_id)
    assert client.get("/_probe/write/1").status_code == 500
    assert seen == ["IDLE", "INTRANS"]
    assert _name_of(user_id) == before


def test_a_read_only_request_may_stream_rows_from_a_server_side_cursor(probe):
    """Such a cursor lives in a transaction: streaming begins one."""
    client, user_id, seen = probe
    assert client.get("/_probe/stream").get_data(as_text=True) == str(user_id)
    assert seen == ["INTRANS"]


def test_the_pool_hands_out_a_transactional_connection_after_a_read_only_request(probe):
    """Outside requests (commands, the worker) and in the next POST, statements run in a
    transaction again: the autocommit of a GET does not stay on the pooled connection."""
    client, _user_id, seen = probe
    client.get("/_probe/read")
    db.session.remove()
    db.session.execute(text("SELECT 1"))
    assert _transaction_status() == "INTRANS"
    client.post("/_probe/read")
    assert seen == ["IDLE", "INTRANS"]
