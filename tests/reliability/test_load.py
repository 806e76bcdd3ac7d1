"""Sixteen members writing for a minute against gunicorn (4 workers) on PostgreSQL.

Run by ``.ci/run`` in its PostgreSQL pass (``PEN_RUN_LOAD=1``); ``PEN_LOAD_SECONDS``
shortens it for a quick local try.
"""

import io
import os
import time

import pytest

from pen.extensions import db
from pen.members.models import ExpertiseArea

from .conftest import in_threads, start_writers, wind_down
from .live import Writer

CLIENTS = 16
SECONDS = float(os.environ.get("PEN_LOAD_SECONDS", "60"))


@pytest.mark.load
def test_sixteen_members_writing_lose_nothing_and_never_see_a_5xx(stack, capsys):
    """Topics, replies, uploads and edits: no 5xx, every acknowledged write there, index clean."""
    writers, ledger = start_writers(stack, CLIENTS)
    started = time.monotonic()
    run_until(writers, started + SECONDS)
    elapsed = time.monotonic() - started

    end = wind_down(stack, ledger)
    with capsys.disabled():
        print(f"\nload: {CLIENTS} clients, {elapsed:.0f} s, {ledger.requests} writes sent, "
              f"{ledger.acks} acknowledged ({len(ledger.topics)} topics, {len(ledger.posts)} "
              f"posts, {len(ledger.documents)} documents), statuses {dict(ledger.statuses)}, "
              f"{len(ledger.server_errors)} 5xx, {len(end.lost)} lost, {len(end.broken)} broken "
              f"files, {len(end.orphans)} orphan files; worker --once drained in "
              f"{end.drain_seconds:.0f} s, left {end.waiting}")
    assert ledger.server_errors == []
    assert ledger.unexpected == []
    assert end.lost == []
    assert (end.broken, end.orphans, end.swept) == ([], [], 0)
    assert set(end.waiting.values()) == {0}, end.waiting
    assert end.drained.returncode == 0
    assert end.checked.returncode == 0, end.checked.stdout


def run_until(writers: list[Writer], deadline: float) -> None:
    """Each writer in its own thread, writing until the deadline."""

    def work(writer: Writer) -> None:
        while time.monotonic() < deadline:
            writer.step()

    in_threads(work, writers)


def test_a_refused_upload_shows_the_form_again_where_topics_exist(app, member_client):
    """Found by the load run: with expertise topics (migrations add them) a form with an
    error answered 500 instead of showing the form again with the reason."""
    db.session.add(ExpertiseArea(name="PCB inventories"))
    db.session.commit()
    answer = member_client.post("/library/upload", data={
        "title": "", "doc_type": "inventory", "language": "en", "access": "network",
        "country": "", "file": (io.BytesIO(b"PCB inventory"), "inventory.txt")})
    assert answer.status_code == 400
    assert "Give the document a title." in answer.text
    assert "PCB inventories" in answer.text
