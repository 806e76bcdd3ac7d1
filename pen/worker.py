"""The background worker: sends the mail outbox, follows the search change log into this
server's indexes, and whatever other tasks the areas register.

Areas register a task, a function that does one bounded pass and returns a
short report. ``flask --app pen worker`` loops over the tasks; ``--once`` makes
one pass and exits. ``make run`` runs the same loop in a background thread.
"""

import logging
import signal
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import files, mail, metrics
from .extensions import db

_TASKS_KEY = "pen.worker_tasks"


def register_task(app: Flask, name: str, task) -> None:
    """Add a task; it is called inside an app context and returns something printable."""
    app.extensions.setdefault(_TASKS_KEY, {})[name] = task


def run_pass() -> dict[str, object]:
    """Run every task once; a failing task is logged and does not stop the others."""
    results = {}
    for name, task in current_app.extensions.get(_TASKS_KEY, {}).items():
        started = time.perf_counter()
        try:
            results[name] = task()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("worker task %s failed", name)
            results[name] = "error"
        finally:
            db.session.remove()
        _log_task(name, results[name], time.perf_counter() - started)
    return results


def _log_task(name: str, result, seconds: float) -> None:
    """Time every task's pass; log the passes that did something (or failed)."""
    outcome = "error" if result == "error" else ("work" if result else "idle")
    metrics.WORKER_PASSES.labels(name, outcome).observe(seconds)
    if outcome != "idle":
        logging.getLogger("pen.worker").info("task %s: %s", name, result, extra={
            "endpoint": f"worker.{name}", "ms": round(seconds * 1000, 1)})


def start_background(app: Flask, interval: float = 2.0) -> threading.Thread:
    """Run the worker loop in a daemon thread of this process (used by ``serve``)."""

    def loop():
        while True:
            with app.app_context():
                run_pass()
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="pen-worker", daemon=True)
    thread.start()
    return thread


@click.command("worker")
@click.option("--once", is_flag=True, help="Drain what is due once, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between passes.")
@with_appcontext
def worker_command(once: bool, interval: float) -> None:
    """Deliver queued mail, follow the search change log, run the areas' tasks until stopped."""
    if once:
        if not _drain():
            # The other tasks still ran; the exit status tells cron or a script it went wrong.
            raise click.ClickException("a worker task failed; see the log for why")
        return
    stop = []  # SIGTERM (a service manager stopping us) ends the loop after the pass in hand,
    # so no claim (an extraction, a mail) is left behind to wait for its lease to expire.
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.append(signum))
    while not stop:
        run_pass()
        if not stop:
            time.sleep(interval)


def _drain(max_passes: int = 10_000) -> bool:
    """Pass until no task has anything left to do now, printing each pass's report.

    Returns False if a task failed in any pass.
    """
    ok = True
    for _ in range(max_passes):
        results = run_pass()
        for name, result in results.items():
            click.echo(f"{name}: {result}")
        ok = ok and "error" not in results.values()
        if not any(result and result != "error" for result in results.values()):
            break
    return ok


def register(app: Flask) -> None:
    """Register the core tasks and the ``worker`` command."""
    register_task(app, "mail", mail.deliver_due)
    register_task(app, "uploads", files.sweep_partials)
    app.cli.add_command(worker_command)
