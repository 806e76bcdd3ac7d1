"""The platform watching itself: health checks, incidents and alert mail, System health.

``register(app)``: the System health page, ``/metrics`` figures, the worker's watch
(every ``PEN_ALERT_CHECK_SECONDS``) and ``flask --app pen monitoring check``.
"""

import time

from flask import Flask, current_app

from .. import metrics, worker
from . import alerts, checks, cli
from .views import bp

_LAST_WATCH_KEY = "pen.monitoring.last_watch"


def watch_task():
    """The worker's task: the watch, at most once per ``PEN_ALERT_CHECK_SECONDS``."""
    state = current_app.extensions.setdefault(_LAST_WATCH_KEY, {"at": 0.0})
    if time.monotonic() - state["at"] < float(current_app.config["ALERT_CHECK_SECONDS"]):
        return alerts.WatchReport()
    state["at"] = time.monotonic()
    return alerts.watch()


def register(app: Flask) -> None:
    """The page, the figures, the worker task and the command."""
    app.register_blueprint(bp)
    metrics.register_figures(app, checks.figures)
    worker.register_task(app, "monitoring", watch_task)
    cli.register(app)
