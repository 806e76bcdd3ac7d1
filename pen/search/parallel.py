"""Rebuilding several kinds at once, each in its own process (``search reindex --jobs``).

A rebuild is CPU-bound Python (text analysed into postings, one writer per
kind), so one process keeps one core busy however many the machine has. The
kinds are independent indexes: with N jobs, N of them are rebuilt side by side,
the largest first so that the longest rebuild starts at once.

The children are forked from the command's process: they inherit the app as
configured (settings from files, the environment or a test), open their own
database connections, and report (kind, documents, seconds) back.
"""

import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from flask import Flask, current_app

from ..extensions import db
from . import index
from .adapters import registered

_child_app: Flask | None = None


def rebuild_side_by_side(kinds: Sequence[str], jobs: int, procs: int,
                         done: Callable[[str, int, float], None]) -> int:
    """Rebuild ``kinds`` (largest first) in ``jobs`` processes; ``done`` hears of each
    as it finishes. Returns the number of documents indexed."""
    app = current_app._get_current_object()
    context = multiprocessing.get_context("fork")
    total = 0
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                             initializer=_start_child, initargs=(app,)) as pool:
        futures = [pool.submit(_rebuild_kind, kind, procs) for kind in kinds]
        for future in as_completed(futures):
            kind, count, seconds = future.result()
            total += count
            done(kind, count, seconds)
    return total


def _start_child(app: Flask) -> None:
    """In a new child: keep the app, and drop the connections copied from the parent
    (two processes must never talk over one socket)."""
    global _child_app
    _child_app = app
    with app.app_context():
        db.engine.dispose(close=False)


def _rebuild_kind(kind: str, procs: int) -> tuple[str, int, float]:
    """Rebuild one kind in this child; (kind, documents, seconds)."""
    assert _child_app is not None  # noqa: S101 - set by the pool's initializer
    with _child_app.app_context():
        started = time.monotonic()
        count = index.rebuild(registered()[kind], procs=procs)
        return kind, count, time.monotonic() - started
