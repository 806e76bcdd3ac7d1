"""gunicorn settings for PEN: ``gunicorn -c python:pen.gunicorn_conf [options]``.

The master checks the settings once, before it starts any worker (``on_starting``): an
unusable one stops gunicorn with its one line on stderr and exit status 1. Without it
every worker finds the problem on its own, and when several fail at once gunicorn prints
a traceback of its own while it shuts the others down.
"""

import ctypes
import functools
import gc
import os
import sys

wsgi_app = "pen:create_app()"  # the application, unless the command line names one

# A worker gives memory freed by its requests back to the system beyond this much
# (``release_free_memory``); reading how much costs 2 us, giving it back about 0.8 ms.
RELEASE_FREE_ABOVE = 16 * 2**20


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


# Allocations between collections of the youngest generation (CPython's default: 700).
# A page makes thousands of short-lived objects; collecting every 700 of them examined
# each surviving ORM row and template context several times per request.
GC_YOUNG_THRESHOLD = 10_000


def post_worker_init(worker) -> None:
    """gunicorn's hook once a worker has loaded the app: see ``settle_heap``."""
    settle_heap()


def settle_heap() -> None:
    """Keep the garbage collector off what lives as long as the worker.

    The app, its routes, templates, mappers and imported modules (about 200,000
    objects) never become garbage, yet every full collection walked them all: 4.9 ms a
    request on the home page, 2.2 ms on a topic page (S=1, one process, measured with
    ``gc.callbacks``). ``gc.freeze`` moves them out of the collector's sight; the
    youngest generation is collected less often (``GC_YOUNG_THRESHOLD``). Garbage made
    later is still collected as before.
    """
    gc.collect()  # what is garbage already goes now, not frozen for ever
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def child_exit(server, worker) -> None:
    """A gunicorn worker ended: its live gauges stop counting (prometheus-client's rule)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


class _MallInfo2(ctypes.Structure):
    """glibc's ``struct mallinfo2`` (malloc.h): the allocator's totals, in bytes."""

    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


@functools.cache
def _glibc():
    """glibc, with ``mallinfo2`` typed; None under another C library or before glibc 2.33."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        return None
    return libc


def post_request(worker, req, environ, resp) -> None:
    """gunicorn's hook after each request: see ``release_free_memory``."""
    release_free_memory()


def release_free_memory(above: int = RELEASE_FREE_ABOVE) -> bool:
    """Give the allocator's free memory back to the system once it holds more than ``above``
    bytes of it; whether it did.

    A search allocates NumPy masks and score arrays (0.5 to 4 MB each at S=100) and
    Whoosh's decoded blocks; freed at the end of the request, glibc keeps them in its
    heaps for reuse (it raises its mmap threshold to the largest block freed, up to
    32 MB). At S=100 that was 40 MB of a worker's 237 MB private memory, never reused
    in full (bench/results/issue26-memory-s9.md). ``malloc_trim`` returns free pages
    from every arena.
    """
    libc = _glibc()
    if libc is None or libc.mallinfo2().fordblks <= above:
        return False
    libc.malloc_trim(0)
    return True
