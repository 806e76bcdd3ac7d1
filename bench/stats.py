"""Statistics of one page's samples and the verdicts against the issue's targets.

Pure functions of recorded samples: tested in tests/bench without a server.
"""

import math
import statistics
from dataclasses import dataclass, field

# Issue 11's targets (reported, never asserted).
PAGE_P95_MS, SEARCH_P95_MS = 50.0, 150.0
GROWTH_PAGE, GROWTH_SEARCH = 1.5, 3.0
CEILING_SHARE = 0.40
WORKER_MB = 250.0  # issue 26 (was 300)


@dataclass
class Samples:
    """What the clients recorded for one page during its phase."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # client-side, ms, successes only
    server: list[float] = field(default_factory=list)  # X-Bench-Server-Ms, successes only
    cpu: list[float] = field(default_factory=list)  # X-Bench-Server-CPU-Ms, successes only
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    rss_after_mb: float | None = None  # the largest worker's resident set after the phase

    def add(self, status: int, client_ms: float, server_ms: float | None,
            cpu_ms: float | None = None) -> None:
        """One answer: 2xx and 3xx succeed, anything else (and no answer) is an error."""
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if 200 <= status < 400:
            self.latencies.append(client_ms)
            if server_ms is not None:
                self.server.append(server_ms)
            if cpu_ms is not None:
                self.cpu.append(cpu_ms)
        else:
            self.errors += 1


def percentile(samples: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile; None without samples."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(round(fraction * len(ordered), 9))))
    return ordered[rank - 1]


def summarise(samples: Samples) -> dict:
    """Requests per second, p50/p95/p99 (client and server), errors."""
    n = len(samples.latencies)
    return {
        "requests": n + samples.errors, "errors": samples.errors,
        "rps": n / samples.seconds if samples.seconds else 0.0,
        "p50": percentile(samples.latencies, 0.50), "p95": percentile(samples.latencies, 0.95),
        "p99": percentile(samples.latencies, 0.99),
        "mean": statistics.fmean(samples.latencies) if n else None,
        "server_p50": percentile(samples.server, 0.50),
        "server_p95": percentile(samples.server, 0.95),
        "server_p99": percentile(samples.server, 0.99),
        "server_cpu_p50": percentile(samples.cpu, 0.50),
        "server_cpu_p95": percentile(samples.cpu, 0.95),
        "statuses": {str(k): v for k, v in sorted(samples.statuses.items())},
        "worker_rss_after_mb": samples.rss_after_mb,
    }


def p95_target(kind: str) -> float | None:
    """The p95 the issue asks of a page of this kind (None: the ceiling)."""
    return {"search": SEARCH_P95_MS, "page": PAGE_P95_MS, "write": PAGE_P95_MS}.get(kind)


def verdicts(kind: str, figures: dict, ceiling_rps: float | None) -> dict:
    """Each target met (True), missed (False) or not applicable (None), with the ratio."""
    target = p95_target(kind)
    server_p95 = figures.get("server_p95") or figures.get("p95")
    share = figures["rps"] / ceiling_rps if ceiling_rps else None
    return {
        "p95_target_ms": target,
        "p95_met": None if target is None or server_p95 is None else server_p95 <= target,
        "ceiling_share": share,
        "ceiling_met": None if kind not in ("page",) or share is None else
        share >= CEILING_SHARE,
        "errors_met": figures["errors"] == 0,
    }


def growth(kind: str, small: dict, large: dict, figure: str = "server_p95") -> dict:
    """p95 at the large scale over p95 at the small one, against 1.5x (searches 3x)."""
    limit = GROWTH_SEARCH if kind == "search" else GROWTH_PAGE
    a = small.get(figure) or small.get("p95")
    b = large.get(figure) or large.get("p95")
    ratio = b / a if a and b else None
    return {"ratio": ratio, "limit": limit,
            "met": None if ratio is None or kind == "ceiling" else ratio <= limit}
