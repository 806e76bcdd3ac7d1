"""SIGKILL the site and the worker in the middle of writes and uploads, then restart.

The kills come after a fixed number of acknowledged writes (not after a delay), so
each run kills at the same points of the story while requests are in flight.
Run by ``.ci/run`` in its PostgreSQL pass (``PEN_RUN_LOAD=1``).
"""

import threading

import pytest

from .conftest import Stack, in_threads, start_writers, wind_down
from .live import Ledger, Writer

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
    stack.workers = 2  # each restart boots them all; two keep the run short
    writers, ledger = start_writers(stack, CLIENTS, UploadingWriter,
                                    upload_bytes=lambda n: (n + 1) * 2**17)
    crasher = Crasher(stack)
    write_until_total(writers, crasher, ledger)

    end = wind_down(stack, ledger)
    with capsys.disabled():
        print(f"\ncrash: {crasher.kills} kills, {ledger.requests} writes sent, {ledger.acks} "
              f"acknowledged, statuses {dict(ledger.statuses)}, {len(end.lost)} lost, "
              f"{len(end.broken)} broken files, {end.swept} .part swept, "
              f"{len(end.orphans)} orphan files, outboxes left {end.waiting}")
    assert crasher.kills == len(KILL_AFTER)
    assert ledger.server_errors == []
    assert end.lost == []
    assert end.broken == []
    assert end.drained.returncode == 0, end.drained.stdout
    assert end.checked.returncode == 0, end.checked.stdout
    assert (end.waiting["search"], end.waiting["mail"], end.waiting["extraction"]) == (0, 0, 0)


def write_until_total(writers: list[Writer], crasher: Crasher, ledger: Ledger) -> None:
    """Writers in threads until TOTAL writes are acknowledged, killing on the way."""

    def work(writer: Writer) -> None:
        while ledger.acks < TOTAL:
            crasher.up.wait()
            crasher.after(writer.step())

    in_threads(work, writers)
