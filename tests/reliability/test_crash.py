"""SIGKILL the site and the worker in the middle of writes and uploads, then restart.

The kills come after a fixed number of acknowledged writes (not after a delay), so
each run kills at the same points of the story while requests are in flight.
Run by ``.ci/run`` in its PostgreSQL pass (``PEN_RUN_LOAD=1``).
"""

import threading

import pytest

from .conftest import (
    Ledger,
    Stack,
    Writer,
    file_problems,
    instance_app,
    lost_writes,
    outbox_left,
    prepare_members,
)

pytestmark = pytest.mark.crash
CLIENTS = 4
KILL_AFTER = (4, 10, 17)  # acknowledged writes after which everything is killed
TOTAL = 24  # acknowledged writes in all


class UploadingWriter(Writer):
    """Uploads half the time, files up to 512 kB: the kills find uploads in flight."""

    CYCLE = ("upload", "topic", "upload", "reply", "upload", "edit")


class Crasher:
    """Kills and restarts the stack when the acknowledged writes reach the next mark."""

    def __init__(self, stack: Stack):
        self.stack, self.kills, self.lock = stack, 0, threading.Lock()
        self.up = threading.Event()
        self.up.set()

    def after(self, acks: int | None) -> None:
        """Called after each write with the count of acknowledged writes (None: not acked)."""
        with self.lock:
            if acks is None or self.kills >= len(KILL_AFTER) or acks < KILL_AFTER[self.kills]:
                return
            self.up.clear()
            self.stack.kill()
            self.kills += 1
            self.stack.start()
            self.up.set()


def test_kills_lose_no_acknowledged_write_and_leave_no_broken_file(stack, capsys):
    """Three kills of gunicorn and the worker; after restarts everything acked is there."""
    emails, slug = prepare_members(stack, CLIENTS)
    stack.workers = 2  # each restart boots them all; two keep the run short
    stack.start()
    ledger, crasher = Ledger(), Crasher(stack)
    writers = [UploadingWriter(stack.port, email, slug, ledger, seed=n,
                               upload_bytes=(n + 1) * 2**17) for n, email in enumerate(emails)]
    for writer in writers:
        writer.browser.login(writer.email, f"/forums/c/{slug}/new")
    write_until_total(writers, crasher, ledger)

    stack.stop_worker()
    drained = stack.flask("worker", "--once")
    checked = stack.flask("search", "check", check=False)
    stack.stop()
    app = instance_app(stack)
    lost = lost_writes(app, ledger)
    broken, orphans, swept = file_problems(app)
    waiting = outbox_left(app)
    with capsys.disabled():
        print(f"\ncrash: {crasher.kills} kills, {ledger.requests} writes sent, {ledger.acks} "
              f"acknowledged, statuses {dict(ledger.statuses)}, {len(lost)} lost, "
              f"{len(broken)} broken files, {swept} .part swept, {len(orphans)} orphan files, "
              f"outboxes left {waiting}")
    assert crasher.kills == len(KILL_AFTER)
    assert ledger.server_errors == []
    assert lost == []
    assert broken == []
    assert drained.returncode == 0, drained.stdout
    assert checked.returncode == 0, checked.stdout
    assert (waiting["search"], waiting["mail"], waiting["extraction"]) == (0, 0, 0)


def write_until_total(writers: list[Writer], crasher: Crasher, ledger: Ledger) -> None:
    """Writers in threads until TOTAL writes are acknowledged, killing on the way."""

    def work(writer: Writer) -> None:
        while ledger.acks < TOTAL:
            crasher.up.wait()
            crasher.after(writer.step())

    threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
