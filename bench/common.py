"""Helpers shared by the per-area benchmarks: the app under test, timing, reporting."""

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from pen import create_app
from pen.testing import schema_settings, temporary_schema

PASSWORD = "bench-password-123"  # noqa: S105 - generated accounts of a throwaway database


# --- The app under test ------------------------------------------------------------------

def _settings(db_url: str | None, workdir: Path) -> dict:
    """CSRF and rate limits off, cheap hashing; the data (and SQLite) in ``workdir``."""
    return {"DATA_DIR": str(workdir), "INSTANCE_PATH": str(workdir / "instance"),
            "SECRET_KEY": "bench", "SERVER_NAME": "pen.bench", "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
            "DATABASE_URL": db_url or f"sqlite:///{workdir / 'bench.sqlite3'}"}


def bench_app(db_url: str | None, workdir: Path | None = None):
    """An app on a scratch data folder; SQLite in it unless ``db_url`` is given."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="pen-bench-"))
    return create_app(_settings(db_url, workdir)), workdir


def make_app(url: str | None, workdir: str | Path, schema: str | None):
    """The app under test (``TESTING``) on SQLite in ``workdir``, or in a PostgreSQL schema."""
    settings = {**_settings(url, Path(workdir)), "TESTING": True}
    if schema:
        settings.update(schema_settings(url, schema))
    return create_app(settings)


def signed_in(app, email: str, password: str = PASSWORD):
    """A test client signed in as ``email``."""
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": password})
    return client


def ok(response):
    """The response, after checking it is a page."""
    assert response.status_code == 200, response.status_code
    return response


# --- Command line ------------------------------------------------------------------------

def area_options(parser: argparse.ArgumentParser, runs: int = 60) -> None:
    """The options every area benchmark takes: ``--runs``, ``--db-url`` and ``--seed``."""
    parser.add_argument("--runs", type=int, default=runs, help="requests per measurement")
    parser.add_argument("--db-url", "--database", dest="database",
                        help="a PostgreSQL URL; default a temporary SQLite file")
    parser.add_argument("--seed", type=int, default=2011)


def run_on(database: str | None, run) -> None:
    """``run(schema)``: on SQLite (schema None), or in a throwaway schema of ``database``."""
    if not database:
        run(None)
        return
    with temporary_schema(database, prefix="pen_bench") as schema:
        run(schema)


@contextmanager
def pg_schema(db_url: str | None):
    """Give a PostgreSQL run its own schema through the search_path; drop it after."""
    if not db_url:
        yield None
        return
    with temporary_schema(db_url, prefix="pen_bench") as schema:
        yield f"{db_url}{'&' if '?' in db_url else '?'}options=-csearch_path%3D{schema}"


def command_line(module: str | None = None) -> str:
    """The command that ran the benchmark, to print under its figures."""
    words = ["-m", module, *sys.argv[1:]] if module else sys.argv
    return "command: " + " ".join([Path(sys.executable).name, *words])


def db_name(url: str | None) -> str:
    """The database a run used, as its summary line names it."""
    return "PostgreSQL" if url else "SQLite"


def progress(label: str, done: int, total: int) -> None:
    """A one-line progress bar on stderr."""
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r{label:<12} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")


# --- Timing ------------------------------------------------------------------------------

def percentile(samples: list[float], fraction: float) -> float:
    """The sample at ``fraction`` of the sorted list (nearest rank)."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def figures_of(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99, mean and count of timings (ms), as ``report`` prints them."""
    return {"p50": percentile(samples, 0.50), "p95": percentile(samples, 0.95),
            "p99": percentile(samples, 0.99), "mean": statistics.fmean(samples),
            "n": len(samples)}


def time_calls(fn, repeat: int, warmup: int = 3) -> dict[str, float]:
    """Call ``fn`` ``repeat`` times after a warm-up; p50/p95/p99/mean in milliseconds.

    Also the p95 of the CPU time the process spent (``cpu_p95``): on a machine
    shared with other work, the wall time includes waiting for a core.
    """
    for _ in range(warmup):
        fn()
    samples, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return {**figures_of(samples), "cpu_p95": percentile(cpu, 0.95)}


def report(label: str, figures: dict[str, float], target_ms: float | None = None) -> str:
    """One line: label, percentiles, and the target if there is one."""
    verdict = ""
    if target_ms is not None:
        met = "met" if figures["p95"] <= target_ms else "MISSED"
        verdict = f"  target p95 <= {target_ms:.0f} ms: {met}"
    cpu = f"  [CPU p95 {figures['cpu_p95']:.1f} ms]" if "cpu_p95" in figures else ""
    return (f"{label:<44} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
            f"p99 {figures['p99']:7.1f} ms  (n={figures['n']}){verdict}{cpu}")
