"""Reliability: the real site (gunicorn + worker) on a fresh PostgreSQL database.

The load and crash runs (markers ``load`` and ``crash``) take minutes, so they run
only with ``PEN_RUN_LOAD=1`` and ``PEN_TEST_DATABASE_URL`` set (``.ci/run`` sets both
in its PostgreSQL pass). The backup test runs in every ``make test``.

Here: the database, the site (``Stack``), a run's start (``start_writers``) and end
(``wind_down``) and the checks of what the site kept; the writers are in ``live``.
"""

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pen.testing import temporary_database
from tests.conftest import CHEAP_HASH, PASSWORD, PG_URL

from .live import Browser, Ledger, Writer

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LIVE_MARKERS = ("load", "crash")


def pytest_collection_modifyitems(config, items):
    """Skip the long runs unless asked for, on PostgreSQL."""
    if os.environ.get("PEN_RUN_LOAD") == "1" and PG_URL:
        return
    skip = pytest.mark.skip(reason="long run: set PEN_RUN_LOAD=1 and PEN_TEST_DATABASE_URL "
                                   "(.ci/run does in its PostgreSQL pass)")
    for item in items:
        if any(item.get_closest_marker(name) for name in LIVE_MARKERS):
            item.add_marker(skip)


# --- A database of its own -------------------------------------------------------------

def new_database(prefix: str = "pen_rel"):
    """A new PostgreSQL database on the server of ``PEN_TEST_DATABASE_URL``; dropped after."""
    return temporary_database(PG_URL, prefix)


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(2**20):
            digest.update(block)
    return digest.hexdigest()


# --- The site as it is deployed: gunicorn, 4 workers, and the worker process -------------

def free_port() -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """gunicorn and ``flask --app pen worker`` on one database and data folder.

    ``bin_dir`` and ``cwd``: the checkout's venv by default; tests/deploy passes a venv
    with the built wheel installed and a folder outside the checkout.
    """

    def __init__(self, folder: Path, database_url: str, workers: int = 4,
                 bin_dir: Path = BIN, cwd: Path = ROOT):
        self.folder, self.port, self.workers = folder, free_port(), workers
        self.bin, self.cwd = bin_dir, cwd
        self.env = {**os.environ, "PEN_DATABASE_URL": database_url,
                    "PEN_DATA_DIR": str(folder / "data"),
                    "PEN_INSTANCE_PATH": str(folder / "instance"),
                    "PEN_SECRET_KEY": uuid.uuid4().hex, "PEN_ENV": "production",
                    "PEN_PASSWORD_HASH": json.dumps(CHEAP_HASH),
                    "PEN_LOGIN_LIMIT_PER_ACCOUNT": "10000 per minute",
                    "PEN_LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
                    "PEN_SEARCH_WARM_TERMS": "0",
                    "PEN_SITE_URL": f"http://127.0.0.1:{self.port}"}
        self.web = self.worker = None
        self.starts = 0

    def flask(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a ``flask --app pen`` command against this instance."""
        done = subprocess.run([str(self.bin / "flask"), "--app", "pen", *args], env=self.env,
                              cwd=self.cwd, capture_output=True, text=True, check=False)
        if check and done.returncode:
            raise AssertionError(f"flask {' '.join(args)}: {done.stdout}\n{done.stderr}")
        return done

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen:
        """A process in its own group (so SIGKILL reaches its children), logging to a file."""
        out = open(self.folder / f"{log}.{self.starts}.log", "wb")  # noqa: SIM115
        return subprocess.Popen(args, env=self.env, cwd=self.cwd, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def start(self, worker: bool = True) -> None:
        """Start both (or gunicorn alone) and wait (with a deadline) until the site answers."""
        self.starts += 1
        self.web = self._spawn([str(self.bin / "gunicorn"), "--workers", str(self.workers),
                                "--bind", f"127.0.0.1:{self.port}", "--timeout", "120",
                                "--no-control-socket",
                                "pen:create_app()"], "gunicorn")
        if worker:
            self.worker = self._spawn([str(self.bin / "flask"), "--app", "pen", "worker",
                                       "--interval", "0.5"], "worker")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.web.poll() is None, "gunicorn exited: " + self.log("gunicorn")
            if self._healthy():
                return
            time.sleep(0.1)  # polling for readiness, with a deadline
        raise AssertionError("the site did not answer within 90 s: " + self.log("gunicorn"))

    def _healthy(self) -> bool:
        try:
            return Browser(self.port).get("/healthz").status == 200
        except OSError:
            return False

    def log(self, name: str) -> str:
        """The last lines of a process's log."""
        path = self.folder / f"{name}.{self.starts}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-40:])

    def kill(self) -> None:
        """SIGKILL the gunicorn master, its workers and the worker, as a power cut would."""
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            if process is not None:
                process.wait()

    def stop_worker(self) -> None:
        """Stop the background worker (SIGTERM: it finishes the pass in hand)."""
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGTERM)
            self.worker.wait(timeout=180)

    def stop(self) -> None:
        """Stop both; gunicorn gracefully."""
        self.stop_worker()
        if self.web is not None and self.web.poll() is None:
            os.killpg(self.web.pid, signal.SIGTERM)
            self.web.wait(timeout=60)


@pytest.fixture
def stack(tmp_path):
    """A migrated, empty instance on a new database; its processes stopped after the test."""
    with new_database() as url:
        live = Stack(tmp_path, url)
        live.flask("db", "upgrade")
        yield live
        live.kill()


def prepare_members(stack: Stack, count: int) -> tuple[list[str], str]:
    """``count`` active members (password PASSWORD) and a forum category; (emails, slug)."""
    from pen.auth import service as accounts
    from pen.auth.system import SYSTEM
    from pen.extensions import db
    from pen.forums import service as forums

    app = instance_app(stack)
    with app.app_context():
        emails = [f"client{n}@load.example" for n in range(count)]
        for n, email in enumerate(emails):
            accounts.create_user(email, f"Client {n}", PASSWORD)
        category = forums.create_category(SYSTEM, "PCB inventories", "Load and crash runs.")
        db.session.commit()
        slug = category.slug
        db.engine.dispose()
    return emails, slug


def instance_app(stack: Stack):
    """An app in this process on the stack's database and data folder (to inspect it)."""
    from pen import create_app

    return create_app({"DATABASE_URL": stack.env["PEN_DATABASE_URL"],
                       "DATA_DIR": stack.env["PEN_DATA_DIR"],
                       "INSTANCE_PATH": stack.env["PEN_INSTANCE_PATH"],
                       "SECRET_KEY": stack.env["PEN_SECRET_KEY"], "PASSWORD_HASH": CHEAP_HASH})


# --- A run: members writing to the live site, then what the site kept ----------------------

def start_writers(stack: Stack, count: int, kind: type[Writer] = Writer,
                  **options: Callable[[int], object]) -> tuple[list[Writer], Ledger]:
    """``count`` new members and a forum category, the stack started, one signed-in writer
    of ``kind`` each; ``options`` give more writer arguments from the writer's number."""
    emails, slug = prepare_members(stack, count)
    stack.start()
    ledger = Ledger()
    writers = [kind(stack.port, email, slug, ledger, seed=n,
                    **{name: option(n) for name, option in options.items()})
               for n, email in enumerate(emails)]
    for writer in writers:
        writer.browser.login(writer.email, f"/forums/c/{slug}/new")
    return writers, ledger


def in_threads(work: Callable[[Writer], None], writers: list[Writer]) -> None:
    """``work(writer)`` for each writer in a thread of its own, until all have returned."""
    threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@dataclass
class Outcome:
    """What the site held after a run, once the worker had drained and the site stopped."""

    drained: subprocess.CompletedProcess  # ``worker --once``: passes until nothing is left
    drain_seconds: float
    checked: subprocess.CompletedProcess  # ``search check``
    lost: list[str]  # acknowledged writes missing or not as acknowledged
    broken: list[str]  # rows whose file is missing or differs
    orphans: list[str]  # stored files no row names
    swept: int  # .part files left behind
    waiting: dict[str, int]  # outboxes left (``outbox_left``)


def wind_down(stack: Stack, ledger: Ledger) -> Outcome:
    """Stop the worker, drain with ``worker --once``, check the index, stop the site; then
    inspect the database and the files against the ledger."""
    stack.stop_worker()
    drain_started = time.monotonic()
    drained = stack.flask("worker", "--once")
    drain_seconds = time.monotonic() - drain_started
    checked = stack.flask("search", "check", check=False)
    stack.stop()
    app = instance_app(stack)
    lost = lost_writes(app, ledger)
    broken, orphans, swept = file_problems(app)
    return Outcome(drained, drain_seconds, checked, lost, broken, orphans, swept,
                   outbox_left(app))


# --- What the site kept ---------------------------------------------------------------------

def lost_writes(app, ledger: Ledger) -> list[str]:
    """Every acknowledged write that is missing or does not hold what was acknowledged."""
    from pen.extensions import db
    from pen.forums.models import Post, Topic
    from pen.library.models import Document

    lost = []
    with app.app_context():
        for topic_id, (title, body) in sorted(ledger.topics.items()):
            topic = db.session.get(Topic, topic_id)
            first = topic and db.session.scalar(
                select(Post.body).where(Post.topic_id == topic_id, Post.number == 1))
            if topic is None or topic.title != title or first != body:
                lost.append(f"topic {topic_id}")
        for post_id, bodies in sorted(ledger.posts.items()):
            post = db.session.get(Post, post_id)
            if post is None or post.body not in bodies:
                lost.append(f"post {post_id}")
        for document_id, (title, sha) in sorted(ledger.documents.items()):
            document = db.session.get(Document, document_id)
            if document is None or document.title != title or not any(
                    v.sha256 == sha for v in document.versions):
                lost.append(f"document {document_id}")
        db.session.remove()
    return lost


def file_problems(app) -> tuple[list[str], list[str], int]:
    """(rows whose file is missing or differs, stored files no row names, .part files swept)."""
    from pen import files
    from pen.extensions import db
    from pen.forums.models import Attachment
    from pen.library.models import Version

    problems, named = [], set()
    with app.app_context():
        root = Path(app.config["DATA_DIR"]) / "uploads"
        for version in db.session.scalars(select(Version)):
            path = root / "library" / version.stored_name
            named.add(path)
            if not path.is_file() or sha256_of(path) != version.sha256:
                problems.append(f"library version {version.id}: {version.stored_name}")
        for attachment in db.session.scalars(select(Attachment)):
            path = root / "forums" / attachment.stored_name
            named.add(path)
            if not path.is_file() or path.stat().st_size != attachment.size:
                problems.append(f"attachment {attachment.id}: {attachment.stored_name}")
        problems += half_written_rows()
        swept = files.sweep_partials(max_age_seconds=0)  # nothing uploads now: .part is debris
        db.session.remove()
    orphans = [str(p.relative_to(root)) for p in root.glob("*/*") if p not in named]
    return problems, orphans, swept


def half_written_rows() -> list[str]:
    """Topics without a post and documents without a file version (a write cut in half)."""
    from pen.extensions import db
    from pen.forums.models import Post, Topic
    from pen.library.models import Document, Version

    bare_topics = db.session.scalars(select(Topic.id).where(
        ~select(Post.id).where(Post.topic_id == Topic.id).exists()))
    bare_documents = db.session.scalars(select(Document.id).where(
        ~select(Version.id).where(Version.document_id == Document.id).exists()))
    return [f"topic {i} without posts" for i in bare_topics] + [
        f"document {i} without a version" for i in bare_documents]


def outbox_left(app) -> dict[str, int]:
    """What still waits once the worker has drained: search changes, mail, extractions.

    ``mail held``/``extraction held``: work a killed worker had claimed; its lease
    (``CLAIM_SECONDS`` for mail, ``STALE_AFTER`` for extraction) must expire first.
    """
    from pen.extensions import db
    from pen.library.models import Version
    from pen.mail import MailMessage
    from pen.search import SearchLog
    from pen.types import utcnow

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    with app.app_context():
        now = utcnow()
        pending = MailMessage.status == "pending"
        held = MailMessage.claimed_until > now
        left = {"search": count(SearchLog), "mail": count(MailMessage, pending, ~held),
                "mail held": count(MailMessage, pending, held),
                "extraction": count(Version, Version.extraction == "pending"),
                "extraction held": count(Version, Version.extraction == "running")}
        db.session.remove()
    return left
