"""``python -m bench run``: a fresh database at scale S, the app under gunicorn, every page.

Steps: create the database (a SQLite file in the work folder, or the PostgreSQL
database ``bench_s<S>`` on 127.0.0.1:5432), generate the network into it with
``python -m bench generate`` (a child process, with its progress bars), start
gunicorn on loopback with the bench additions switched on (``bench.serve``), sign in
the clients (members in 0, 1, 2 and 3+ groups, and committee members), drive each
page for a fixed time, sample the workers' memory, stop the server and write the
report (``bench/results/s<S>-<db>.md`` and ``.json``).
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import click
from sqlalchemy import create_engine, text

from bench import drive, machine, pages, report
from bench.members import LAST
from pen.members.countries import REGION_SLUGS

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def scale_tag(scale: float) -> str:
    """``1``, ``10``, ``0_05``: a scale as it appears in names."""
    return f"{scale:g}".replace(".", "_")


def pg_name(scale: float) -> str:
    """The PostgreSQL database of a run: ``bench_s<S>``, or ``$BENCH_PG_DATABASE`` (so that
    several people benchmarking on one server do not drop each other's network)."""
    return os.environ.get("BENCH_PG_DATABASE") or f"bench_s{scale_tag(scale)}"


def database_url(db: str, scale: float, workdir: Path) -> str:
    """Where the generated network lives."""
    if db == "sqlite":
        return f"sqlite:///{workdir / 'pen.sqlite3'}"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_name(scale)}"


def fresh_database(db: str, scale: float, workdir: Path) -> None:
    """An empty work folder and an empty database."""
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "data").mkdir(parents=True)
    if db == "postgresql":
        name = pg_name(scale)
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()


def server_env(url: str, workdir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A production configuration, plus the bench switches and ``extra`` PEN_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEN_")}
    env.update(PEN_ENV="production", PEN_DATABASE_URL=url, PEN_DATA_DIR=str(workdir / "data"),
               PEN_INSTANCE_PATH=str(workdir / "instance"), PEN_SECRET_KEY=secrets.token_hex(32),
               PEN_BENCH_CEILING="1", PEN_BENCH_TIMING="1",
               # every client signs in from 127.0.0.1 within a few seconds
               PEN_LOGIN_LIMIT_PER_ADDRESS="10000 per minute",
               # generated committee members have no authenticator app: password only
               PEN_TWO_FACTOR_REQUIRED_ROLES="[]")
    env.update({f"PEN_{name}": value for name, value in (extra or {}).items()})
    return env


def generate(url: str, workdir: Path, scale: float, seed: int, page_chars: int | None) -> dict:
    """Run the generator command against the new database; its info (with timings)."""
    info_path = workdir / "generated.json"
    command = [str(BIN / "python"), "-m", "bench", "generate", "--scale", f"{scale:g}",
               "--seed", str(seed), "--info", str(info_path)]
    if page_chars:
        command += ["--page-chars", str(page_chars)]
    env = server_env(url, workdir)
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own command
    return json.loads(info_path.read_text())


def context(url: str, info: dict, clients: int) -> tuple[pages.Context, list[str]]:
    """The lists the pages draw from, and the members who will sign in."""
    engine = create_engine(url)
    with engine.connect() as c:
        public = [r[0] for r in c.execute(text(
            "SELECT id FROM forum_topics WHERE group_id IS NULL AND id <> :long "
            "ORDER BY id LIMIT 5000"), {"long": info["long_topic"]})]
        terms = [r[0] for r in c.execute(text("SELECT id FROM expertise_areas ORDER BY id"))]
        listed = [r[0] for r in c.execute(text(
            "SELECT slug FROM groups WHERE visibility = 'listed' ORDER BY id"))]
        emails = _members_by_groups(c, clients)
        groups = {e: [r[0] for r in c.execute(text(
            "SELECT g.slug FROM groups g JOIN group_memberships m ON m.group_id = g.id "
            "JOIN users u ON u.id = m.user_id WHERE u.email = :e ORDER BY g.id"), {"e": e})]
            for e in emails}
    engine.dispose()
    ctx = pages.Context(info=info, public_topics=public, expertise_ids=terms,
                        region_slugs=list(REGION_SLUGS.values()), listed_groups=listed,
                        member_groups=groups, last_names=LAST)
    return ctx, emails


def _members_by_groups(connection, clients: int) -> list[str]:
    """``clients`` active members, taken in turn from those in 0, 1, 2 and 3+ groups."""
    rows = connection.execute(text(
        "SELECT u.email, count(m.group_id) FROM users u "
        "LEFT JOIN group_memberships m ON m.user_id = u.id "
        "WHERE u.status = 'active' AND u.email LIKE 'member%' "
        "GROUP BY u.id, u.email ORDER BY u.id LIMIT 20000"))
    buckets: dict[int, list[str]] = {0: [], 1: [], 2: [], 3: []}
    for email, count in rows:
        buckets[min(count, 3)].append(email)
    chosen, turn = [], 0
    while len(chosen) < clients and any(buckets.values()):
        bucket = buckets[turn % 4]
        if bucket:
            chosen.append(bucket.pop(0))
        turn += 1
    return chosen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, workdir: Path, workers: int, threads: int,
                 extra: dict[str, str] | None = None) -> tuple:
    """gunicorn on loopback; returns (process, port) once /healthz answers."""
    port = free_port()
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed with the server
    process = subprocess.Popen(  # noqa: S603 - our own command
        [str(BIN / "gunicorn"), "-c", "python:pen.gunicorn_conf", "bench.serve:create()",
         "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
         "--keep-alive", "60", "--timeout", "120"],
        cwd=ROOT, env=server_env(url, workdir, extra), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    process.terminate()
    raise click.ClickException(f"gunicorn did not start; see {workdir / 'gunicorn.log'}")


def stop_server(process) -> None:
    """Stop the gunicorn this run started (by its own process id)."""
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()


def run(scale: float, db: str, duration: float, clients: int, workers: int, threads: int,
        seed: int, only: list[str] | None, workroot: Path, results_dir: Path,
        page_chars: int | None, reuse: bool, extra: dict[str, str] | None = None) -> dict:
    """The whole benchmark at one scale on one database; returns the result."""
    workdir = workroot / f"s{scale_tag(scale)}-{db}"
    url = database_url(db, scale, workdir)
    info = _reused(workdir, scale, seed, db) if reuse else None
    if info is None:
        fresh_database(db, scale, workdir)
        info = generate(url, workdir, scale, seed, page_chars)
        (workdir / "marker.json").write_text(json.dumps(_marker(scale, seed, db)))
    ctx, emails = context(url, info, clients)
    reviewers = info["reviewers"]
    load_before = os.getloadavg()
    process, port = start_server(url, workdir, workers, threads, extra)
    try:
        members = [drive.Member("127.0.0.1", port, e, reviewers[i % len(reviewers)],
                                info["password"]) for i, e in enumerate(emails)]
        for member in members:
            member.login()
        sampler = drive.MemorySampler(process.pid).start()
        samples = drive.run_pages(pages.by_name(only), ctx, members, duration, seed, sampler)
        memory = sampler.stop()
        for member in members:
            member.close()
    finally:
        stop_server(process)
    result = report.build(samples, memory, machine.describe(load_before), info,
                          {"scale": scale, "db": db, "duration": duration, "clients": clients,
                           "workers": workers, "threads": threads, "seed": seed,
                           "server_settings": extra or {}, "reused": reuse,
                           "client_groups": {e: len(ctx.member_groups[e]) for e in emails}})
    report.write(result, results_dir)
    return result


def _marker(scale: float, seed: int, db: str) -> dict:
    return {"scale": scale, "seed": seed, "db": db, "commit": machine.commit()}


def _reused(workdir: Path, scale: float, seed: int, db: str) -> dict | None:
    """The info of a network generated earlier for the same scale, seed, database, commit."""
    marker, info = workdir / "marker.json", workdir / "generated.json"
    if marker.exists() and info.exists() and json.loads(marker.read_text()) == _marker(
            scale, seed, db):
        click.echo(f"reusing the network generated in {workdir} (earlier runs' replies and "
                   "uploads are in it)")
        return json.loads(info.read_text())
    return None
