"""The machine and the code a result was measured on."""

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commit() -> str:
    """The checked-out commit, ``+dirty`` when the tree has changes (read-only git calls)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
                              cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain",  # noqa: S607
                                "--untracked-files=no"],
                               cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def memory_mb() -> int | None:
    """Total memory of the machine in MB (Linux /proc/meminfo)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def cpu_model() -> str:
    """The processor's model name, if Linux says it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe(load_before: tuple[float, float, float]) -> dict:
    """Cores, memory, CPU, Python, commit, date, and the load before and after the run."""
    return {"cores": os.cpu_count(), "memory_mb": memory_mb(), "cpu": cpu_model(),
            "python": platform.python_version(), "system": platform.platform(terse=True),
            "commit": commit(), "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load_before": [round(v, 2) for v in load_before],
            "load_after": [round(v, 2) for v in os.getloadavg()]}
