"""Where a forum page's time goes, in one process: ``python -m bench.forum_profile WORKDIR``.

Opens a network made by ``python -m bench run --workdir WORKDIR`` (SQLite) or, with
``--db-url``, a PostgreSQL one, signs in a generated member with the Flask test client
(production settings) and requests the topic page (first, middle, last), the category's
topic list and ``/forums/latest``: per page the CPU time of a request (mean of
``--runs``, no profiler), its SQL statements, and with ``--profile`` the functions that
took the most time (cProfile, cumulative). Figures only: nothing is asserted.
"""

import cProfile
import io
import json
import logging
import os
import pstats
import re
import secrets
import time
from pathlib import Path

import click
from sqlalchemy import event

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _app(url: str, workdir: Path):
    """The production app on the network at ``url``."""
    os.environ.update(PEN_ENV="production", PEN_DATABASE_URL=url,
                      PEN_DATA_DIR=str(workdir / "data"),
                      PEN_INSTANCE_PATH=str(workdir / "instance"),
                      PEN_SECRET_KEY=secrets.token_hex(32),
                      PEN_LOGIN_LIMIT_PER_ADDRESS="10000 per minute",
                      PEN_TWO_FACTOR_REQUIRED_ROLES="[]")
    from pen import create_app

    app = create_app()
    logging.disable(logging.INFO)  # one line per request would be timed too
    return app


def _signed_in(app, email: str, password: str):
    """A test client signed in as ``email`` through the login form."""
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    token = CSRF.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    answer = client.post("/auth/login", data={"email": email, "csrf_token": token,
                                               "password": password})
    if answer.status_code != 302:
        raise click.ClickException(f"login of {email} failed (HTTP {answer.status_code})")
    return client


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


def _profile(client, path: str, runs: int, top: int) -> str:
    """The ``top`` functions by cumulative time over ``runs`` requests."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


@click.command()
@click.argument("workdir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--db-url", help="A PostgreSQL network instead of WORKDIR's SQLite file.")
@click.option("--email", default="member10@bench.example", show_default=True)
@click.option("--runs", default=40, show_default=True)
@click.option("--profile", "top", default=0, help="Print this many functions per page.")
@click.option("--sql", is_flag=True, help="Print each page's statements.")
@click.option("--page", "only", multiple=True, help="Only pages whose name starts so.")
def main(workdir: Path, db_url: str | None, email: str, runs: int, top: int, sql: bool,
         only: tuple[str, ...]):
    """Measure (and profile) the forum pages of a generated network."""
    info = json.loads((workdir / "generated.json").read_text())
    app = _app(db_url or f"sqlite:///{workdir / 'pen.sqlite3'}", workdir)
    with app.app_context():
        from pen.extensions import db

        engine = db.engine
    client = _signed_in(app, email, info["password"])
    for name, path in _pages(info).items():
        if only and not name.startswith(only):
            continue
        cpu, statements, seen = _measure(client, engine, path, runs)
        click.echo(f"{name:32} {cpu:6.2f} ms CPU  {statements:3d} statements  {path}")
        if sql:
            click.echo("\n".join(f"    {line}" for line in seen))
        if top:
            click.echo(_profile(client, path, runs, top))


if __name__ == "__main__":
    main()
