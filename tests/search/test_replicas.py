"""Several servers, each with its own index folder, following one change log."""

import os
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, insert, make_url, select, text, update
from sqlalchemy import event as sa_event

from pen import search
from pen.extensions import db
from pen.search import index, replicas
from pen.search.models import SearchLog, SearchReplica
from pen.types import utcnow

from .conftest import MEMBER, DictAdapter, ids_of


@pytest.fixture
def servers(app_factory, tmp_path):
    """Two apps on one database, each with its own index folder and one shared "database"."""
    rows: dict[int, dict] = {}
    apps = []
    for name in ("one", "two"):
        app = app_factory(INDEX_DIR=str(tmp_path / name / "index"), SEARCH_WRITER_TIMEOUT=0,
                          SEARCH_REPLICA_NAME=name)
        adapter = DictAdapter()
        adapter.rows = rows
        search.register_adapter(app, adapter)
        apps.append(app)
    return apps, rows


def on(app, action):
    """Run ``action()`` inside ``app``, as that server would."""
    with app.app_context():
        try:
            return action()
        finally:
            db.session.remove()


def publish(app, rows, object_id, name):
    """A member writes on ``app``: the content and its log row in one commit."""
    def write():
        rows[object_id] = {"name": name}
        search.enqueue("thing", object_id)
        db.session.commit()
    on(app, write)


def found(app, words):
    return on(app, lambda: ids_of(search.search("thing", MEMBER, words)))


def log_count(app):
    return on(app, lambda: db.session.scalar(select(func.count()).select_from(SearchLog)))


def test_a_change_written_on_one_server_is_found_on_the_other(servers):
    (one, two), rows = servers
    on(one, search.drain)
    on(two, search.drain)
    publish(one, rows, 1, "Amina Diallo")

    on(two, search.drain)
    assert found(two, "Diallo") == [1]
    assert log_count(one) == 1  # server one has not applied it yet: kept
    on(one, search.drain)
    assert found(one, "Diallo") == [1]
    on(two, search.drain)
    assert log_count(one) == 0  # both passed it: pruned


def test_each_server_has_its_own_id_and_position(servers):
    (one, two), _rows = servers
    ids = {on(app, replicas.replica_id) for app in (one, two)}
    assert len(ids) == 2
    assert on(one, replicas.replica_id) == on(one, replicas.replica_id)  # stable
    on(one, search.drain)
    names = on(one, lambda: {(r.name, r.kind) for r in replicas.all_rows()})
    assert ("one", "thing") in names and {name for name, _ in names} == {"one"}


def test_a_silent_server_does_not_hold_the_log_back_and_rebuilds_when_back(servers):
    (one, two), rows = servers
    on(one, search.drain)
    on(two, search.drain)
    on(two, lambda: (db.session.execute(update(SearchReplica).where(
        SearchReplica.replica == replicas.replica_id()).values(
            seen_at=utcnow() - timedelta(hours=2))), db.session.commit()))
    publish(one, rows, 1, "Amina Diallo")

    on(one, search.drain)
    assert log_count(one) == 0  # server two, unseen for two hours, no longer counts
    report = on(two, search.drain)
    assert "thing" in report.rebuilt
    assert found(two, "Diallo") == [1]


def test_a_deleted_index_folder_is_a_new_server_that_rebuilds(servers, tmp_path):
    (one, _two), rows = servers
    publish(one, rows, 1, "Amina Diallo")
    on(one, search.drain)
    first = on(one, replicas.replica_id)
    shutil.rmtree(tmp_path / "one" / "index")

    assert on(one, replicas.replica_id) != first
    assert on(one, search.drain).rebuilt.count("thing") == 1
    assert found(one, "Diallo") == [1]


@pytest.mark.skipif(not os.environ.get("PEN_TEST_DATABASE_URL"),
                    reason="PostgreSQL only: SQLite commits one writer at a time, in id order")
def test_a_transaction_that_commits_late_is_not_skipped(servers):
    (one, _two), rows = servers
    on(one, search.drain)
    with one.app_context():
        late = db.engine.connect()  # another request, still writing
    rows[1] = {"name": "Amina Diallo"}
    late.execute(insert(SearchLog).values(kind="thing", object_id=1, op="upsert",
                                          created_at=utcnow()))
    publish(one, rows, 2, "Lan Nguyen")  # began later, committed first

    on(one, search.drain)
    assert found(one, "Nguyen") == []  # held back until the earlier transaction ends
    late.commit()
    late.close()
    on(one, search.drain)
    assert found(one, "Diallo") == [1]
    assert found(one, "Nguyen") == [2]


@pytest.mark.skipif(not os.environ.get("PEN_TEST_DATABASE_URL"),
                    reason="PostgreSQL only: transaction ids span the server's databases")
def test_a_transaction_open_in_another_database_does_not_hold_search_back(servers):
    (one, _two), rows = servers
    on(one, search.drain)
    other_database = make_url(os.environ["PEN_TEST_DATABASE_URL"]).set(database="postgres")
    engine = create_engine(other_database)
    with engine.connect() as elsewhere:  # say a dump of another application, running long
        elsewhere.execute(text("SELECT pg_current_xact_id()"))
        publish(one, rows, 1, "Amina Diallo")
        on(one, search.drain)
        assert found(one, "Diallo") == [1]
    engine.dispose()


@pytest.mark.skipif(not os.environ.get("PEN_TEST_DATABASE_URL"),
                    reason="PostgreSQL only: transaction ids span the server's databases")
def test_a_transaction_of_another_database_ending_while_the_horizon_is_read(servers):
    # Another database's transaction began before the member's and ends between the
    # horizon's two reads: whichever read saw it, it must not hold the member's change back.
    (one, _two), rows = servers
    on(one, search.drain)
    engine = create_engine(make_url(os.environ["PEN_TEST_DATABASE_URL"])
                           .set(database="postgres"))
    elsewhere = engine.connect()
    elsewhere.execute(text("SELECT pg_current_xact_id()"))
    publish(one, rows, 1, "Amina Diallo")

    def end_elsewhere_between_reads(conn, cursor, statement, *args):
        if elsewhere.in_transaction() and "pg_stat_activity" not in statement \
                and "pg_current_snapshot" in statement:
            elsewhere.commit()

    with one.app_context():
        sa_event.listen(db.engine, "before_cursor_execute", end_elsewhere_between_reads)
    try:
        on(one, search.drain)
        ended_in_between = not elsewhere.in_transaction()
    finally:
        with one.app_context():
            sa_event.remove(db.engine, "before_cursor_execute", end_elsewhere_between_reads)
        elsewhere.close()
        engine.dispose()
    assert ended_in_between
    assert found(one, "Diallo") == [1]


def test_a_page_never_rebuilds_a_missing_index(servers, tmp_path):
    (one, _two), rows = servers
    publish(one, rows, 1, "Amina Diallo")
    results = on(one, lambda: search.search("thing", MEMBER, "Diallo"))
    assert results.unavailable and results.hits == []
    assert "being rebuilt" in results.message
    assert not (tmp_path / "one" / "index" / "thing").exists()

    on(one, search.drain)
    assert found(one, "Diallo") == [1]


def test_an_index_of_another_schema_is_rebuilt_by_the_worker_only(servers, monkeypatch):
    (one, _two), rows = servers
    publish(one, rows, 1, "Amina Diallo")
    on(one, search.drain)
    monkeypatch.setattr(DictAdapter, "text_fields", {"name": 3.0, "bio": 1.0, "motto": 1.0})
    index.schema_for.cache_clear()

    assert on(one, lambda: search.search("thing", MEMBER, "Diallo")).unavailable
    assert on(one, search.drain).rebuilt.count("thing") == 1
    assert found(one, "Diallo") == [1]


def test_readiness_follows_the_worker(servers):
    (one, _two), _rows = servers

    def checks():
        return {check.name: check.ok for check in on(one, search.readiness)}

    assert checks()["search:thing"] is False and checks()["worker"] is False
    on(one, search.drain)
    assert set(checks().values()) == {True}
    on(one, lambda: (db.session.execute(update(SearchReplica).values(
        seen_at=utcnow() - timedelta(minutes=10))), db.session.commit()))
    assert checks()["worker"] is False


def test_readiness_fails_when_a_change_waits_too_long(servers):
    (one, _two), rows = servers
    on(one, search.drain)
    publish(one, rows, 1, "Amina Diallo")
    on(one, lambda: (db.session.execute(update(SearchLog).values(
        created_at=utcnow() - timedelta(minutes=5))), db.session.commit()))
    [check] = [c for c in on(one, search.readiness) if c.name == "search:thing"]
    assert not check.ok and "behind" in check.detail and check.value >= 300
