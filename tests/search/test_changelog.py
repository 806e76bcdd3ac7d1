"""The change log: written with the content, followed by each server into its own index,
applied before the position moves, pruned behind every live server."""

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select
from whoosh.writing import SegmentWriter

from pen import search, worker
from pen.extensions import db
from pen.search import changelog, index, replicas
from pen.search.models import SearchLog, SearchReplica
from pen.types import utcnow

from .conftest import MEMBER, DictAdapter, ids_of


def log_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchLog))


def position(kind: str = "thing"):
    db.session.expire_all()
    return replicas.cursor(kind)


def test_enqueue_joins_the_callers_transaction(things):
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.rollback()
    assert log_count() == 0

    search.enqueue("thing", 1)
    db.session.commit()
    row = db.session.scalars(select(SearchLog)).one()
    assert (row.kind, row.object_id, row.op) == ("thing", 1, "upsert")


def test_enqueue_refuses_unknown_kinds_and_operations(things):
    with pytest.raises(KeyError):
        search.enqueue("nothing", 1)
    with pytest.raises(ValueError):
        search.enqueue("thing", 1, "merge")


def test_the_first_pass_builds_the_index_and_records_where_it_began(things):
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()
    assert replicas.cursor("thing") is None

    report = search.drain()
    assert "thing" in report.rebuilt and bool(report)
    assert position() is not None
    assert ids_of(search.search("thing", MEMBER, "Diallo")) == [1]


def test_the_position_moves_only_after_the_index_commit(things, monkeypatch):
    search.drain()  # this new server builds its indexes
    before = position()
    things.rows.update({1: {"name": "Amina Diallo"}, 2: {"name": "Lan Nguyen"}})
    search.enqueue("thing", 1)
    search.enqueue("thing", 2)
    db.session.commit()
    positions_at_commit = []
    original_commit = SegmentWriter.commit

    def spying_commit(self, *args, **kwargs):
        positions_at_commit.append(position())
        return original_commit(self, *args, **kwargs)

    monkeypatch.setattr(SegmentWriter, "commit", spying_commit)
    report = search.drain()

    assert positions_at_commit == [before]
    assert report.applied == 2 and position() > before
    assert ids_of(search.search("thing", MEMBER, "Diallo")) == [1]


def test_a_failed_index_commit_keeps_the_position_and_says_why(things, monkeypatch):
    search.drain()  # this new server builds its indexes
    before = position()
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()

    def failing_commit(self, *args, **kwargs):
        self.cancel()
        raise OSError("disk full")

    monkeypatch.setattr(SegmentWriter, "commit", failing_commit)
    report = search.drain()

    assert report.failed == 1 and report.applied == 0
    assert position() == before
    row = db.session.get(SearchReplica, (replicas.replica_id(), "thing"))
    assert row.failures == 1 and "disk full" in row.last_error
    assert not {c.name: c.ok for c in search.readiness()}["search:thing"]
    monkeypatch.undo()
    assert search.drain().applied == 1
    assert ids_of(search.search("thing", MEMBER, "Diallo")) == [1]
    assert db.session.get(SearchReplica, (replicas.replica_id(), "thing")).failures == 0


def test_a_batch_that_keeps_failing_sets_its_bad_object_aside(things, search_app, monkeypatch):
    search_app.config["SEARCH_MAX_ATTEMPTS"] = 2
    search.drain()
    things.rows.update({1: {"name": "Amina Diallo"}, 2: {"name": "Broken"}})
    search.enqueue("thing", 1)
    search.enqueue("thing", 2)
    db.session.commit()
    original = DictAdapter.documents

    def documents(self, ids=None):
        if ids is not None and 2 in ids:
            raise ValueError("cannot read object 2")
        return original(self, ids)

    monkeypatch.setattr(DictAdapter, "documents", documents)
    assert search.drain().failed == 2
    assert search.drain().failed == 2  # the second failure sets object 2 aside

    assert ids_of(search.search("thing", MEMBER, "Diallo")) == [1]
    row = db.session.get(SearchReplica, (replicas.replica_id(), "thing"))
    assert "set aside" in row.last_error and "[2]" in row.last_error


def test_a_held_writer_lock_leaves_the_rows_for_the_next_pass(things):
    search.drain()
    ix = index.open_index(things)
    before = position()
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()

    held = ix.writer()  # another process indexing
    try:
        report = search.drain()
        assert report.locked == ["thing"] and not report
        assert position() == before
    finally:
        held.cancel()

    assert search.drain().applied == 1
    assert ids_of(search.search("thing", MEMBER, "Diallo")) == [1]


def test_rows_for_one_object_are_coalesced_and_the_last_wins(things):
    index.rebuild(things)
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    search.enqueue("thing", 1)
    search.enqueue("thing", 1, search.DELETE)
    things.rows[2] = {"name": "Lan Nguyen"}
    search.enqueue("thing", 2, search.DELETE)
    search.enqueue("thing", 2)
    db.session.commit()

    assert search.drain().applied == 5
    assert index.indexed_ids(index.open_index(things)) == {2}


def test_an_upsert_of_an_object_gone_from_the_database_removes_it(things):
    things.rows[1] = {"name": "Amina Diallo"}
    index.rebuild(things)
    del things.rows[1]
    search.enqueue("thing", 1)
    db.session.commit()

    search.drain()
    assert index.indexed_ids(index.open_index(things)) == set()


def test_rows_of_an_unregistered_kind_wait_for_the_retention_only(things, search_app):
    db.session.add(SearchLog(kind="retired", object_id=1, op="upsert",
                             created_at=utcnow() - timedelta(hours=1)))
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()

    search.drain()
    search.drain()
    assert ids_of(search.search("thing", MEMBER, "Diallo")) == [1]
    assert db.session.scalars(select(SearchLog.kind)).all() == ["retired"]
    search_app.config["SEARCH_LOG_RETENTION_HOURS"] = 0.5
    search.drain()
    assert log_count() == 0


def test_the_worker_follows_the_log(things):
    search.drain()  # builds every kind's index on this new server
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()

    results = worker.run_pass()
    assert str(results["search"]) == "1 applied, 0 failed"
    assert log_count() == 0  # the only server has passed it: pruned


def test_a_worker_killed_after_the_index_commit_reapplies_and_loses_nothing(things,
                                                                             monkeypatch):
    index.rebuild(things)
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()

    def killed(*args, **kwargs):
        raise SystemExit("SIGKILL")

    monkeypatch.setattr(replicas, "advance", killed)
    with pytest.raises(SystemExit):
        search.drain()
    monkeypatch.undo()
    db.session.rollback()
    things.rows[1] = {"name": "Amina Diallo-Sow"}  # changed again meanwhile
    search.enqueue("thing", 1)
    db.session.commit()

    assert search.drain().applied == 2
    assert ids_of(search.search("thing", MEMBER, "Sow")) == [1]
    assert index.compare(things) == (set(), set())



def test_what_this_server_has_not_applied_is_read_with_its_position_in_one_statement(things):
    """A search's pending check agrees with reading the position, then the rows after it:
    before the first pass, after it, with rows waiting, for another server; one statement."""
    here = replicas.replica_id()
    things.rows.update({1: {"name": "Amina"}, 2: {"name": "Bakary"}, 3: {"name": "Chen"}})

    def both(replica: str = here) -> tuple[list[int], list[int]]:
        db.session.expire_all()
        row = db.session.get(SearchReplica, (replica, "thing"))
        start = changelog.Position(row.applied_key, row.applied_id) if row else changelog.START
        return (sorted(changelog.pending_here("thing", replica, 100)),
                sorted(changelog.pending_objects("thing", start, 100)))

    search.enqueue("thing", 1)
    db.session.commit()
    assert both() == ([1], [1])  # no position yet: the whole log
    search.drain()
    assert both() == ([], [])
    for object_id in (2, 3, 2):
        search.enqueue("thing", object_id)
    db.session.commit()
    assert both() == ([2, 3], [2, 3])
    assert both("another-server") == ([2, 3], [2, 3])  # from the log's start (1 was pruned)
    statements = []

    def record(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        changelog.pending_here("thing", here, 100)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) == 1
