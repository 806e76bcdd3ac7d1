"""The app as the benchmark serves it under gunicorn: ``gunicorn 'bench.serve:create()'``.

Two additions, both from this bench-only module (``pen`` itself never has them), and
each only when its environment variable is set:

- ``PEN_BENCH_CEILING=1``: ``GET /_bench/ceiling`` renders the base layout with no
  database work. It is explicitly public (``pen.auth.access.public``) and the runner
  calls it without a session cookie, so no account is loaded: the framework's own
  limit on this machine (routing, a Jinja render, the security headers).
- ``PEN_BENCH_TIMING=1``: every response carries ``X-Bench-Server-Ms``, the time from
  the WSGI call to ``start_response`` in this worker (the page is rendered by then;
  queueing in gunicorn and the network are not included), and ``X-Bench-Server-CPU-Ms``,
  the CPU time of the thread that served it over the same span: on a machine shared
  with other work, the wall time includes waiting for a core, the CPU time does not.
"""

import os
import time

from flask import render_template

from pen import create_app
from pen.auth.access import public


class ServerTiming:
    """WSGI middleware adding the time the app took to each response's headers."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started, cpu = time.perf_counter(), time.thread_time()

        def timed_start(status, headers, exc_info=None):
            elapsed = (time.perf_counter() - started) * 1000
            headers.append(("X-Bench-Server-Ms", f"{elapsed:.2f}"))
            headers.append(("X-Bench-Server-CPU-Ms", f"{(time.thread_time() - cpu) * 1000:.2f}"))
            return start_response(status, headers, exc_info)

        return self.app(environ, timed_start)


def ceiling():
    """The base layout and nothing else."""
    return render_template("base.html")


def install(app, with_ceiling: bool, with_timing: bool):
    """Add the ceiling route and the timing header to ``app``, each if asked."""
    if with_ceiling:
        app.add_url_rule("/_bench/ceiling", "bench_ceiling", public(ceiling))
    if with_timing:
        app.wsgi_app = ServerTiming(app.wsgi_app)
    return app


def create():
    """The production app, plus the bench additions that are switched on."""
    return install(create_app(), os.environ.get("PEN_BENCH_CEILING") == "1",
                   os.environ.get("PEN_BENCH_TIMING") == "1")
