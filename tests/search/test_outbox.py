"""The search outbox: same transaction as the content, applied only after the index commit."""

import pytest
from sqlalchemy import func, select
from whoosh.writing import SegmentWriter

from pen import search, worker
from pen.extensions import db
from pen.search import index
from pen.search.models import SearchOutbox

from .conftest import MEMBER, ids_of


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutbox))


def test_enqueue_joins_the_callers_transaction(things):
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.rollback()
    assert outbox_count() == 0

    search.enqueue("thing", 1)
    db.session.commit()
    row = db.session.scalars(select(SearchOutbox)).one()
    assert (row.kind, row.object_id, row.op, row.attempts) == ("thing", 1, "upsert", 0)


def test_enqueue_refuses_unknown_kinds_and_operations(things):
    with pytest.raises(KeyError):
        search.enqueue("nothing", 1)
    with pytest.raises(ValueError):
        search.enqueue("thing", 1, "merge")


def test_drain_applies_rows_and_deletes_them_after_the_index_commit(things, monkeypatch):
    index.rebuild(things)
    things.rows.update({1: {"name": "Amina Diallo"}, 2: {"name": "Lan Nguyen"}})
    search.enqueue("thing", 1)
    search.enqueue("thing", 2)
    db.session.commit()
    rows_at_commit = []
    original_commit = SegmentWriter.commit

    def spying_commit(self, *args, **kwargs):
        rows_at_commit.append(outbox_count())
        return original_commit(self, *args, **kwargs)

    monkeypatch.setattr(SegmentWriter, "commit", spying_commit)
    report = search.drain()

    assert rows_at_commit == [2]  # the rows were still there when the index committed
    assert report.applied == 2 and bool(report)
    assert outbox_count() == 0
    assert ids_of(search.search("thing", MEMBER, "Diallo")) == [1]


def test_failed_index_commit_keeps_the_rows_with_the_error(things, monkeypatch):
    index.rebuild(things)
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()

    def failing_commit(self, *args, **kwargs):
        self.cancel()
        raise OSError("disk full")

    monkeypatch.setattr(SegmentWriter, "commit", failing_commit)
    report = search.drain()

    assert report.failed == 1 and report.applied == 0
    row = db.session.scalars(select(SearchOutbox)).one()
    assert row.attempts == 1 and "disk full" in row.last_error
    monkeypatch.undo()
    assert search.drain().applied == 1
    assert outbox_count() == 0
    assert ids_of(search.search("thing", MEMBER, "Diallo")) == [1]


def test_a_held_writer_lock_leaves_the_rows_for_the_next_pass(things):
    ix = index.open_index(things)
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()

    held = ix.writer()  # another process indexing
    try:
        report = search.drain()
        assert report.locked == ["thing"] and not report
        assert outbox_count() == 1
        row = db.session.scalars(select(SearchOutbox)).one()
        assert row.attempts == 0  # a lock is no failure
    finally:
        held.cancel()

    assert search.drain().applied == 1
    assert outbox_count() == 0
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


def test_rows_of_an_unregistered_kind_fail_without_blocking_others(things, search_app):
    db.session.add(SearchOutbox(kind="retired", object_id=1, op="upsert"))
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()

    report = search.drain()
    assert (report.applied, report.failed) == (1, 1)
    assert db.session.scalars(select(SearchOutbox.kind)).all() == ["retired"]


def test_the_worker_runs_the_drain(things):
    things.rows[1] = {"name": "Amina Diallo"}
    search.enqueue("thing", 1)
    db.session.commit()

    results = worker.run_pass()
    assert str(results["search"]) == "1 applied, 0 failed"
    assert outbox_count() == 0
