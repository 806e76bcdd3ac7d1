"""Sixteen members writing for a minute against gunicorn (4 workers) on PostgreSQL.

Run by ``.ci/run`` in its PostgreSQL pass (``PEN_RUN_LOAD=1``); ``PEN_LOAD_SECONDS``
shortens it for a quick local try.
"""

import io
import os
import threading
import time

import pytest

from pen.extensions import db
from pen.members.models import ExpertiseArea

from .conftest import (
    Ledger,
    Writer,
    file_problems,
    instance_app,
    lost_writes,
    outbox_left,
    prepare_members,
)

CLIENTS = 16
SECONDS = float(os.environ.get("PEN_LOAD_SECONDS", "60"))


@pytest.mark.load
def test_sixteen_members_writing_lose_nothing_and_never_see_a_5xx(stack, capsys):
    """Topics, replies, uploads and edits: no 5xx, every acknowledged write there, index clean."""
    emails, slug = prepare_members(stack, CLIENTS)
    stack.start()
    ledger = Ledger()
    writers = [Writer(stack.port, email, slug, ledger, seed=n) for n, email in enumerate(emails)]
    for writer in writers:
        writer.browser.login(writer.email, f"/forums/c/{slug}/new")
    started = time.monotonic()
    run_until(writers, started + SECONDS)
    elapsed = time.monotonic() - started

    stack.stop_worker()
    drain_started = time.monotonic()
    drained = stack.flask("worker", "--once")  # passes until nothing is left to do
    drain_seconds = time.monotonic() - drain_started
    checked = stack.flask("search", "check", check=False)
    stack.stop()
    app = instance_app(stack)
    lost = lost_writes(app, ledger)
    broken, orphans, swept = file_problems(app)
    waiting = outbox_left(app)
    with capsys.disabled():
        print(f"\nload: {CLIENTS} clients, {elapsed:.0f} s, {ledger.requests} writes sent, "
              f"{ledger.acks} acknowledged ({len(ledger.topics)} topics, {len(ledger.posts)} "
              f"posts, {len(ledger.documents)} documents), statuses {dict(ledger.statuses)}, "
              f"{len(ledger.server_errors)} 5xx, {len(lost)} lost, {len(broken)} broken files, "
              f"{len(orphans)} orphan files; worker --once drained in {drain_seconds:.0f} s, "
              f"left {waiting}")
    assert ledger.server_errors == []
    assert ledger.unexpected == []
    assert lost == []
    assert (broken, orphans, swept) == ([], [], 0)
    assert set(waiting.values()) == {0}, waiting
    assert drained.returncode == 0
    assert checked.returncode == 0, checked.stdout


def run_until(writers: list[Writer], deadline: float) -> None:
    """Each writer in its own thread, writing until the deadline."""

    def work(writer: Writer) -> None:
        while time.monotonic() < deadline:
            writer.step()

    threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


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
