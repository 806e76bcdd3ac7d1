"""Where a web worker's memory goes: ``python -m bench.memory_profile WORKDIR [--db-url URL]``.

Opens a network made by ``python -m bench run --workdir WORKDIR`` in one process with
production settings (``--setting NAME=VALUE`` adds PEN_ settings, as the runner's option
does), signs in the runner's clients and requests every page the runner reads
(``bench.pages``; not the two that write) ``--rounds`` times each. Then it prints the
process's memory as the kernel counts it — resident (RSS), private (anonymous), the
files mapped in (shared libraries, the search index's term tables), and PSS,
which divides shared pages among their sharers — and the share of the search engine's
caches: the process-wide postings cache (``SEARCH_CACHE_POSTINGS``), and per kind the
searcher's scored terms, scopes, facet pairs and sort keys. Last, what glibc gives back
with ``malloc_trim`` (memory freed but kept in the allocator's arenas). Figures only:
nothing is asserted.
"""

import ctypes
import gc
import json
import os
import random
import re
import time
from pathlib import Path

import click

from bench.inprocess import production_app, signed_in
from pen import gunicorn_conf

_MAPPING = re.compile(r"^[0-9a-f]+-[0-9a-f]+$")


class _Client:
    """What ``bench.pages`` expects of a client, over the Flask test client."""

    def __init__(self, client, email: str, malloc: str = "release"):
        self.client, self.email, self.malloc = client, email, malloc

    def get(self, path: str):
        """One GET; the status. Then what ``--malloc`` says, as gunicorn's hook would."""
        status = self.client.get(path).status_code
        if self.malloc == "release":
            gunicorn_conf.release_free_memory()
        elif self.malloc == "trim":
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        return status


def _kernel() -> dict[str, float]:
    """This process's memory in MB: VmRSS, RssAnon, RssFile, Pss."""
    found = {}
    for source, keys in (("status", ("VmRSS", "RssAnon", "RssFile")), ("smaps_rollup", ("Pss",))):
        for line in Path(f"/proc/self/{source}").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in keys:
                found[name] = int(value.split()[0]) / 1024
    return found


def _show() -> str:
    """The kernel's figures, rounded: ``RSS 317.1 anon 241.2 file 76.0 PSS 304.4``."""
    k = _kernel()
    return (f"RSS {k['VmRSS']:.1f} anon {k['RssAnon']:.1f} file {k['RssFile']:.1f} "
            f"PSS {k['Pss']:.1f}")


def _mapped_files() -> list[tuple[str, float]]:
    """Resident MB of each file mapped into this process (index segments…), largest first."""
    found: dict[str, float] = {}
    name = None
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if _MAPPING.match(head[0]):  # a mapping's first line; anonymous ones have no path
            path = head[5] if len(head) >= 6 else ""
            name = "/".join(path.split("/")[-3:]) if path.startswith("/") else None
        elif name and head[0] == "Rss:":
            found[name] = found.get(name, 0) + int(head[1]) / 1024
    return sorted(found.items(), key=lambda item: -item[1])


def _nbytes(value, seen: set[int] | None = None) -> int:
    """Bytes of the NumPy arrays inside ``value`` (tuples, lists, dicts, dataclasses)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if hasattr(value, "nbytes") and hasattr(value, "dtype"):
        return int(value.nbytes)
    if isinstance(value, dict):
        return sum(_nbytes(v, seen) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_nbytes(v, seen) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return sum(_nbytes(getattr(value, f), seen) for f in value.__dataclass_fields__)
    return 0


def _engine_caches() -> dict[str, float]:
    """MB held by the search engine's caches in this process (one thread: this one)."""
    from pen.search import cache, index

    out = {"postings cache (process)": _nbytes(dict(cache._cache.entries)) / 2**20}
    for (_, kind, _), (searcher, _) in index._searchers().items():
        arrays = searcher.__dict__.get("_pen_arrays")
        parts = {"scored terms": arrays._scores if arrays else {},
                 "columns, live, languages": (arrays.live, arrays._languages) if arrays else (),
                 "scopes": searcher.__dict__.get("_pen_scopes", {}),
                 "facet pairs": searcher.__dict__.get("_pen_facets", {}),
                 "sort keys": searcher.__dict__.get("_pen_ranks", {})}
        for name, value in parts.items():
            out[f"{kind}: {name}"] = _nbytes(value) / 2**20
    return out


@click.command()
@click.argument("workdir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--db-url", help="A PostgreSQL network instead of WORKDIR's SQLite file.")
@click.option("--rounds", default=20, show_default=True, help="Requests of each page per client.")
@click.option("--clients", default=4, show_default=True)
@click.option("--setting", "settings", multiple=True, help="NAME=VALUE: a PEN_ setting.")
@click.option("--malloc", type=click.Choice(["release", "keep", "trim"]), default="release",
              show_default=True, help="After each request: what pen.gunicorn_conf does in a "
              "worker (free memory beyond 16 MB given back), nothing, or malloc_trim.")
def main(workdir: Path, db_url: str | None, rounds: int, clients: int, settings: tuple[str, ...],
         malloc: str):
    """Drive the pages in one process, then print where its memory went."""
    from bench import pages
    from bench.run import context

    for setting in settings:
        name, _, value = setting.partition("=")
        os.environ[f"PEN_{name}"] = value
    info = json.loads((workdir / "generated.json").read_text())
    url = db_url or f"sqlite:///{workdir / 'pen.sqlite3'}"
    ctx, emails = context(url, info, clients)
    app = production_app(url, workdir)
    click.echo(f"after create_app: {_show()}")
    members = [_Client(signed_in(app, e, info["password"]), e, malloc) for e in emails]
    rng = random.Random(2011)
    for page in pages.PAGES:
        if page.kind in ("ceiling", "write") or page.session != "member":
            continue
        cpu = time.thread_time()
        statuses = {page.make(ctx, rng, c) for _ in range(rounds) for c in members}
        cpu_ms = (time.thread_time() - cpu) * 1000 / (rounds * len(members))
        click.echo(f"{page.name:36} HTTP {sorted(statuses)} {cpu_ms:6.1f} ms CPU  {_show()}")
    with app.app_context():
        for name, mb in _engine_caches().items():
            if mb >= 0.05:
                click.echo(f"  {name:44} {mb:7.1f} MB")
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    click.echo(f"after gc + malloc_trim: {_show()}")
    for name, mb in _mapped_files()[:8]:
        click.echo(f"  mapped {name:58} {mb:7.1f} MB resident")


if __name__ == "__main__":
    main()
