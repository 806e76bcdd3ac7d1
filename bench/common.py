"""Timing helpers shared by the benchmarks."""

import statistics
import tempfile
import time
from pathlib import Path

from pen import create_app


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at ``fraction`` of the sorted list (nearest rank)."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


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
    return {"p50": percentile(samples, 0.50), "p95": percentile(samples, 0.95),
            "p99": percentile(samples, 0.99), "mean": statistics.fmean(samples), "n": repeat,
            "cpu_p95": percentile(cpu, 0.95)}


def report(label: str, figures: dict[str, float], target_ms: float | None = None) -> str:
    """One line: label, percentiles, and the target if there is one."""
    verdict = ""
    if target_ms is not None:
        met = "met" if figures["p95"] <= target_ms else "MISSED"
        verdict = f"  target p95 <= {target_ms:.0f} ms: {met}"
    cpu = f"  [CPU p95 {figures['cpu_p95']:.1f} ms]" if "cpu_p95" in figures else ""
    return (f"{label:<44} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
            f"p99 {figures['p99']:7.1f} ms  (n={figures['n']}){verdict}{cpu}")


def bench_app(db_url: str | None, workdir: Path | None = None):
    """An app on a scratch data folder; SQLite in it unless ``db_url`` is given."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="pen-bench-"))
    settings = {"DATA_DIR": str(workdir), "INSTANCE_PATH": str(workdir / "instance"),
                "SECRET_KEY": "bench", "SERVER_NAME": "pen.bench", "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "PASSWORD_HASH": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}}
    settings["DATABASE_URL"] = db_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    return create_app(settings), workdir
