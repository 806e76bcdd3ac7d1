"""A member directory page's cost, in one process: ``python -m bench.directory_profile WORKDIR``.

Opens a network made by ``python -m bench run --workdir WORKDIR`` (SQLite) or, with
``--db-url``, a PostgreSQL one, signs in a generated member through the login form with
the Flask test client (production settings) and requests the directory three ways: with
two facets (a region and an expertise term, drawn with a fixed seed from the network's
values), with no facet, and a free-text search. Per page: the CPU time of a request
(``time.thread_time`` of each request: mean and median over ``--runs``, no profiler), the
SQL statements of one request, and with ``--profile`` the functions that took the most
time (cProfile, cumulative). ``--dump DIR`` writes each page's HTML once, CSRF tokens
and nonces masked, to compare two trees byte for byte. Figures only: nothing is asserted.

It imports nothing of ``pen`` but ``create_app`` (through ``bench.inprocess``),
``pen.extensions`` and ``pen.members.countries.REGION_SLUGS``, so a copy of it and of
``bench/inprocess.py``, run with an older tree first on ``PYTHONPATH``, measures that
tree on the same network and the same URLs.
"""

import cProfile
import io
import json
import pstats
import random
import re
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

import click
from sqlalchemy import event, text

from bench.inprocess import production_app, signed_in

MASKS = (re.compile(r'(name="csrf_token"[^>]*value=")[^"]+'), re.compile(r'(nonce=")[^"]+'))
WORDS = ("transformer", "inventory", "oil", "transformers maintenance")


def _urls(engine, runs: int, seed: int) -> dict[str, list[str]]:
    """The URLs of each page, ``runs`` of them, the same for every tree (fixed seed)."""
    from pen.members.countries import REGION_SLUGS

    with engine.connect() as c:
        terms = [r[0] for r in c.execute(text("SELECT id FROM expertise_areas ORDER BY id"))]
    rng, regions = random.Random(seed), sorted(REGION_SLUGS.values())
    facets = [f"/members/?{urlencode({'region': rng.choice(regions), 'expertise': term})}"
              for term in (rng.choice(terms) for _ in range(runs))]
    words = [f"/members/?{urlencode({'q': rng.choice(WORDS)})}" for _ in range(runs)]
    return {"2 facets": facets, "no facet": ["/members/"] * runs, "q search": words}


def _measure(client, engine, paths: list[str]) -> tuple[float, float, float, list[str]]:
    """(mean and median CPU ms per request, statements per request, the statements of the
    last one). The median is less moved by bursts of other work on a shared machine."""
    count, seen = [0], []

    def counted(_conn, _cursor, statement, *_args):
        count[0] += 1
        seen.append(" ".join(statement.split())[:200])

    for path in paths[:3]:  # warm: templates compiled, caches filled
        status = client.get(path).status_code
        if status != 200:
            raise click.ClickException(f"{path}: HTTP {status}")
    event.listen(engine, "before_cursor_execute", counted)
    try:
        cpu = []
        for path in paths:
            seen.clear()
            started = time.thread_time()
            client.get(path)
            cpu.append((time.thread_time() - started) * 1000)
        return statistics.mean(cpu), statistics.median(cpu), count[0] / len(paths), list(seen)
    finally:
        event.remove(engine, "before_cursor_execute", counted)


def _profile(client, paths: list[str], top: int) -> str:
    """The ``top`` functions by cumulative time over the requests to ``paths``."""
    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _dump(client, urls: dict[str, list[str]], folder: Path) -> None:
    """Each page's first three URLs' HTML, tokens and nonces masked, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, paths in urls.items():
        for i, path in enumerate(dict.fromkeys(paths[:3])):
            html = client.get(path).get_data(as_text=True)
            for mask in MASKS:
                html = mask.sub(r"\1MASKED", html)
            (folder / f"{name.replace(' ', '-')}-{i}.html").write_text(html)


@click.command()
@click.argument("workdir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--db-url", help="A PostgreSQL network instead of WORKDIR's SQLite file.")
@click.option("--email", default="member10@bench.example", show_default=True)
@click.option("--runs", default=100, show_default=True, help="Requests per page.")
@click.option("--seed", default=26, show_default=True)
@click.option("--profile", "top", default=0, help="Print this many functions per page.")
@click.option("--sql", is_flag=True, help="Print each page's statements.")
@click.option("--page", "only", multiple=True, help="Only pages whose name starts so.")
@click.option("--dump", type=click.Path(path_type=Path, file_okay=False),
              help="Write the pages' HTML here (masked) instead of measuring.")
def main(workdir: Path, db_url: str | None, email: str, runs: int, seed: int, top: int,
         sql: bool, only: tuple[str, ...], dump: Path | None):
    """Measure (and profile) the member directory of a generated network."""
    info = json.loads((workdir / "generated.json").read_text())
    app = production_app(db_url or f"sqlite:///{workdir / 'pen.sqlite3'}", workdir)
    with app.app_context():
        from pen.extensions import db

        engine = db.engine
    client = signed_in(app, email, info["password"])
    urls = {name: paths for name, paths in _urls(engine, runs, seed).items()
            if not only or name.startswith(only)}
    if dump:
        _dump(client, urls, dump)
        return
    for name, paths in urls.items():
        mean, median, statements, seen = _measure(client, engine, paths)
        click.echo(f"{name:10} {mean:6.2f} ms CPU (median {median:6.2f})  "
                   f"{statements:5.1f} statements  {paths[0]}")
        if sql:
            click.echo("\n".join(f"    {line}" for line in seen))
        if top:
            click.echo(_profile(client, paths, top))


if __name__ == "__main__":
    main()
