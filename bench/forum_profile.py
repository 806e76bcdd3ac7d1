"""Where a forum page's time goes, in one process: ``python -m bench.forum_profile WORKDIR``.

Opens a network made by ``python -m bench run --workdir WORKDIR`` (SQLite) or, with
``--db-url``, a PostgreSQL one, signs in a generated member with the Flask test client
(production settings) and requests the topic page (first, middle, last), the category's
topic list and ``/forums/latest`` (or only the pages given with ``--path``, any page of
the site): per page the CPU time of a request (mean of
``--runs``, no profiler), its SQL statements, and with ``--profile`` the functions that
took the most time (cProfile, cumulative). Figures only: nothing is asserted.
"""

import cProfile
import io
import json
import pstats
import time
from pathlib import Path

import click
from sqlalchemy import event

from bench import serve
from bench.inprocess import production_app, signed_in


def _pages(info: dict) -> dict[str, str]:
    """The pages measured, by name."""
    topic, posts = info["long_topic"], info["long_topic_posts"]
    last = -(-posts // 20)
    return {"topic page (first)": f"/forums/t/{topic}?page=1",
            "topic page (middle)": f"/forums/t/{topic}?page={max(1, last // 2)}",
            "topic page (last)": f"/forums/t/{topic}?page={last}",
            "topic list (category, page 1)": f"/forums/c/{info['category']}?page=1",
            "latest (all categories)": "/forums/latest"}


def _measure(client, engine, path: str, runs: int) -> tuple[float, int, list[str]]:
    """Mean CPU ms of a request to ``path``, and the statements of the last request."""
    count, seen = [0], []

    def counted(_conn, _cursor, statement, *_args):
        count[0] += 1
        seen.append(" ".join(statement.split())[:160])

    for _ in range(3):
        status = client.get(path).status_code
        if status != 200:
            raise click.ClickException(f"{path}: HTTP {status}")
    event.listen(engine, "before_cursor_execute", counted)
    try:
        started = time.thread_time()
        for _ in range(runs):
            count[0] = 0
            seen.clear()
            client.get(path)
        return (time.thread_time() - started) * 1000 / runs, count[0], list(seen)
    finally:
        event.remove(engine, "before_cursor_execute", counted)


def _profile(client, path: str, runs: int, top: int, sort: str) -> str:
    """The ``top`` functions over ``runs`` requests, by ``sort`` (a pstats key)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    return out.getvalue()


@click.command()
@click.argument("workdir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--db-url", help="A PostgreSQL network instead of WORKDIR's SQLite file.")
@click.option("--email", default="member10@bench.example", show_default=True)
@click.option("--runs", default=40, show_default=True)
@click.option("--profile", "top", default=0, help="Print this many functions per page.")
@click.option("--sort", default="cumulative", show_default=True,
              help="How --profile orders the functions: cumulative, tottime, ncalls…")
@click.option("--sql", is_flag=True, help="Print each page's statements.")
@click.option("--page", "only", multiple=True, help="Only pages whose name starts so.")
@click.option("--path", "paths", multiple=True,
              help="Another page to measure the same way, e.g. --path / --path '/search?q=oil'; "
                   "--path /_bench/ceiling is the signed-in ceiling.")
def main(workdir: Path, db_url: str | None, email: str, runs: int, top: int, sort: str, sql: bool,
         only: tuple[str, ...], paths: tuple[str, ...]):
    """Measure (and profile) the forum pages of a generated network, and any ``--path``."""
    info = json.loads((workdir / "generated.json").read_text())
    app = serve.install(production_app(db_url or f"sqlite:///{workdir / 'pen.sqlite3'}",
                                       workdir), with_ceiling=True, with_timing=False)
    with app.app_context():
        from pen.extensions import db

        engine = db.engine
    client = signed_in(app, email, info["password"])
    pages = {**_pages(info), **{path: path for path in paths}}
    for name, path in pages.items():
        if (only or paths) and not name.startswith(only + paths):
            continue
        cpu, statements, seen = _measure(client, engine, path, runs)
        click.echo(f"{name:32} {cpu:6.2f} ms CPU  {statements:3d} statements  {path}")
        if sql:
            click.echo("\n".join(f"    {line}" for line in seen))
        if top:
            click.echo(_profile(client, path, runs, top, sort))


if __name__ == "__main__":
    main()
