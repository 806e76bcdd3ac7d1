"""Metrics in the Prometheus exposition format, for the operator (never for members).

Two kinds of figures:

- **instruments** counted as things happen in this process: requests per endpoint
  and status with their latency, sign-in failures, requests refused with 429, the
  worker's passes. Under gunicorn each worker process counts its own; with
  ``PROMETHEUS_MULTIPROC_DIR`` set (the README says how) prometheus-client adds
  them up across processes.
- **figures** read at scrape time from the database and the disk, so every server
  tells the same truth whatever process answers: outbox depths and ages, index lag
  per kind and per server, the worker's heartbeat, mail failing, disk space. An area
  adds its own with ``register_figures(app, source)``; a source returns ``Figure``\\ s.

``/metrics`` (``home.views``) answers only with ``Authorization: Bearer
<PEN_METRICS_TOKEN>``, and is absent (404) when no token is set.
"""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Flask, current_app
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

_FIGURES_KEY = "pen.metric_figures"
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # whichever PEN process starts first makes it
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Instruments are process-wide, like the process they count; they live in their own
# registry so that tests building many apps never register them twice.
INSTRUMENTS = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("pen_http_requests", "Requests answered, by endpoint, method and status.",
                   ["endpoint", "method", "status"], registry=INSTRUMENTS)
LATENCY = Histogram("pen_http_request_duration_seconds", "Time to answer a request.",
                    ["endpoint"], registry=INSTRUMENTS,
                    buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
SIGNIN_FAILURES = Counter("pen_signin_failures", "Sign-in attempts refused, by step "
                          "(password, code).", ["step"], registry=INSTRUMENTS)
RATE_LIMITED = Counter("pen_rate_limited", "Requests refused with 429, by endpoint.",
                       ["endpoint"], registry=INSTRUMENTS)
WORKER_PASSES = Histogram("pen_worker_task_duration_seconds", "Time of one worker task's "
                          "pass.", ["task", "outcome"], registry=INSTRUMENTS,
                          buckets=(.01, .05, .1, .5, 1, 5, 15, 60, 300))


@dataclass(frozen=True)
class Figure:
    """One gauge value read at scrape time."""

    name: str
    help: str
    value: float
    labels: dict[str, str] = field(default_factory=dict)


def register_figures(app: Flask, source: Callable[[], Iterable[Figure]]) -> None:
    """Add a source of figures read at each scrape."""
    app.extensions.setdefault(_FIGURES_KEY, []).append(source)


def observe_request(endpoint: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request (``pen.requestlog`` calls it for every request)."""
    REQUESTS.labels(endpoint, method, str(status)).inc()
    LATENCY.labels(endpoint).observe(seconds)
    if status == 429:
        RATE_LIMITED.labels(endpoint).inc()


def figures() -> list[Figure]:
    """Every registered source's figures; a failing source is reported, not fatal."""
    found = []
    for source in current_app.extensions.get(_FIGURES_KEY, []):
        try:
            found.extend(source())
        except Exception:
            current_app.logger.exception("metric figures from %s failed",
                                         getattr(source, "__name__", source))
            found.append(Figure("pen_figures_source_failed", "A figure source that failed.",
                                1, {"source": getattr(source, "__name__", "?")}))
    return found


class _Figures:
    """A collector over ``figures()`` for one scrape."""

    def __init__(self, found: list[Figure]):
        self.found = found

    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        for figure in self.found:
            family = families.get(figure.name)
            if family is None:
                family = families[figure.name] = GaugeMetricFamily(
                    figure.name, figure.help, labels=sorted(figure.labels))
            family.add_metric([figure.labels[k] for k in sorted(figure.labels)], figure.value)
        return list(families.values())


def exposition() -> bytes:
    """The scrape: this process's (or all processes') instruments, then the figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = INSTRUMENTS
    read = CollectorRegistry()
    read.register(_Figures(figures()))
    return generate_latest(counted) + generate_latest(read)

