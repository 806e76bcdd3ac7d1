"""Drive the server: N client threads, one page at a time for a fixed time each.

Each page gets its own phase (every client requests only that page for
``duration`` seconds, after a short warm-up that is not recorded), so its
requests per second are what the server sustains on that page alone and compare
directly with the ceiling's. Meanwhile a thread samples the gunicorn workers'
resident memory.
"""

import random
import threading
import time
from pathlib import Path

import click

from bench.client import Client
from bench.pages import Context, Page
from bench.stats import Samples

WARMUP_REQUESTS = 3


class Member:
    """One simulated person: a member session, a committee session, an anonymous one."""

    def __init__(self, host: str, port: int, email: str, reviewer: str, password: str):
        self.sessions = {"member": Client(host, port), "committee": Client(host, port),
                         "anonymous": Client(host, port)}
        self.sessions["member"].email = email
        self.sessions["committee"].email = reviewer
        self.sessions["anonymous"].email = ""
        self.password = password

    def login(self) -> None:
        """Sign in both accounts through the login form."""
        for kind in ("member", "committee"):
            client = self.sessions[kind]
            client.login(client.email, self.password)

    def close(self) -> None:
        for client in self.sessions.values():
            client.close()


def _measure(page: Page, ctx: Context, client, rng: random.Random, until: float) -> Samples:
    """Request the page until ``until``; record every answer."""
    mine = Samples()
    while time.perf_counter() < until:
        try:
            status, _body, client_ms, server_ms, cpu_ms = page.make(ctx, rng, client)
        except OSError:  # no answer at all (refused, reset, timed out): an error too
            status, client_ms, server_ms, cpu_ms = 599, 0.0, None, None
            client.close()
        mine.add(status, client_ms, server_ms, cpu_ms)
    return mine


def _warm_up(page: Page, ctx: Context, client, rng: random.Random) -> None:
    """A few unrecorded requests: connections, caches, searchers."""
    for _ in range(WARMUP_REQUESTS):
        try:
            page.make(ctx, rng, client)
        except OSError:
            client.close()


def phase(page: Page, ctx: Context, members: list[Member], duration: float,
          seed: int) -> Samples:
    """All clients on one page for ``duration`` seconds, once every client has warmed up."""
    samples, lock, clock = Samples(), threading.Lock(), {}

    def start_clock() -> None:
        clock["started"] = time.perf_counter()
        clock["until"] = clock["started"] + duration

    ready = threading.Barrier(len(members), action=start_clock)

    def run(index: int, member: Member) -> None:
        client, rng = member.sessions[page.session], random.Random(seed * 1000 + index)
        _warm_up(page, ctx, client, rng)
        ready.wait()
        mine = _measure(page, ctx, client, rng, clock["until"])
        with lock:
            samples.latencies += mine.latencies
            samples.server += mine.server
            samples.cpu += mine.cpu
            samples.errors += mine.errors
            for status, count in mine.statuses.items():
                samples.statuses[status] = samples.statuses.get(status, 0) + count

    threads = [threading.Thread(target=run, args=(i, m), daemon=True)
               for i, m in enumerate(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples.seconds = time.perf_counter() - clock["started"]
    return samples


def run_pages(pages: list[Page], ctx: Context, members: list[Member], duration: float,
              seed: int, memory: "MemorySampler | None" = None) -> dict[str, Samples]:
    """Every page's phase in turn, with a progress bar; the workers' memory after each."""
    results = {}
    with click.progressbar(pages, label="pages", item_show_func=lambda p: p.name if p else "",
                           file=None) as bar:
        for page in bar:
            results[page.name] = phase(page, ctx, members, duration, seed)
            if memory is not None:
                results[page.name].rss_after_mb = memory.current_max_mb()
    return results


class MemorySampler:
    """The largest resident set of any gunicorn worker (children of the master)."""

    def __init__(self, master_pid: int, interval: float = 0.5):
        self.master, self.interval = master_pid, interval
        self.max_kb: dict[int, int] = {}
        self.max_anon_kb = 0  # private memory; the rest of RSS is mapped files (the index)
        self.max_pss_kb = 0  # private + each worker's share of the pages it maps with others
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "MemorySampler":
        self._thread.start()
        return self

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        values = list(self.max_kb.values())
        return {"workers": len(values), "max_rss_mb": max(values) / 1024 if values else None,
                "max_anon_mb": self.max_anon_kb / 1024 if self.max_anon_kb else None,
                "max_pss_mb": self.max_pss_kb / 1024 if self.max_pss_kb else None,
                "per_worker_max_rss_mb": [round(v / 1024, 1) for v in values]}

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def current_max_mb(self) -> float | None:
        """The largest resident set of a worker right now, in MB."""
        values = [kb for kb in map(rss_kb, children(self.master)) if kb]
        return round(max(values) / 1024, 1) if values else None

    def sample(self) -> None:
        """Read VmRSS of every current worker."""
        for pid in children(self.master):
            kb = rss_kb(pid)
            if kb:
                self.max_kb[pid] = max(self.max_kb.get(pid, 0), kb)
                self.max_anon_kb = max(self.max_anon_kb, rss_kb(pid, "RssAnon:") or 0)
                self.max_pss_kb = max(self.max_pss_kb, rss_kb(pid, "Pss:", "smaps_rollup") or 0)


def children(pid: int) -> list[int]:
    """Child process ids (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def rss_kb(pid: int, field: str = "VmRSS:", source: str = "status") -> int | None:
    """Resident set size (or ``RssAnon:``…, or ``Pss:`` of ``smaps_rollup``) of a process in
    kB (Linux /proc), None if gone."""
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        return None
    return None
