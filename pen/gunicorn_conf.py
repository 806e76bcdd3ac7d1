"""gunicorn settings for PEN: ``gunicorn -c python:pen.gunicorn_conf [options]``.

The master checks the settings once, before it starts any worker (``on_starting``): an
unusable one stops gunicorn with its one line on stderr and exit status 1. Without it
every worker finds the problem on its own, and when several fail at once gunicorn prints
a traceback of its own while it shuts the others down.
"""

import os
import sys

wsgi_app = "pen:create_app()"  # the application, unless the command line names one


def on_starting(server) -> None:
    """gunicorn's hook before the first worker: stop here if a setting cannot work; start
    the metrics of this run from zero."""
    from pen import startup
    from pen.config import ConfigurationError

    try:
        startup.check_environment()
    except ConfigurationError as exc:
        print(exc.format_message(), file=sys.stderr)
        sys.exit(1)
    _empty_metrics_folder()


def _empty_metrics_folder() -> None:
    """Remove prometheus-client's files of processes that are gone (a previous run's), which
    would be added to this run's; the worker's, still running, stay."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        pid = name.rsplit("_", 1)[-1].removesuffix(".db")
        if not (pid.isdigit() and _alive(int(pid))):
            os.unlink(os.path.join(folder, name))


def _alive(pid: int) -> bool:
    """Whether a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def child_exit(server, worker) -> None:
    """A gunicorn worker ended: its live gauges stop counting (prometheus-client's rule)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
