"""Reliability: the real site (gunicorn + worker) on a fresh PostgreSQL database.

The load and crash runs (markers ``load`` and ``crash``) take minutes, so they run
only with ``PEN_RUN_LOAD=1`` and ``PEN_TEST_DATABASE_URL`` set (``.ci/run`` sets both
in its PostgreSQL pass). The backup test runs in every ``make test``.
"""

import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

from tests.conftest import CHEAP_HASH, PASSWORD, PG_URL, csrf_token_from

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

@contextmanager
def new_database(prefix: str = "pen_rel"):
    """A new PostgreSQL database on the server of ``PEN_TEST_DATABASE_URL``; dropped after."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
    """gunicorn and ``flask --app pen worker`` on one database and data folder."""

    def __init__(self, folder: Path, database_url: str, workers: int = 4):
        self.folder, self.port, self.workers = folder, free_port(), workers
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
        done = subprocess.run([str(BIN / "flask"), "--app", "pen", *args], env=self.env,
                              cwd=ROOT, capture_output=True, text=True, check=False)
        if check and done.returncode:
            raise AssertionError(f"flask {' '.join(args)}: {done.stdout}\n{done.stderr}")
        return done

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen:
        """A process in its own group (so SIGKILL reaches its children), logging to a file."""
        out = open(self.folder / f"{log}.{self.starts}.log", "wb")  # noqa: SIM115
        return subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def start(self) -> None:
        """Start both and wait (with a deadline) until the site answers."""
        self.starts += 1
        self.web = self._spawn([str(BIN / "gunicorn"), "--workers", str(self.workers), "--bind",
                                f"127.0.0.1:{self.port}", "--timeout", "120",
                                "--no-control-socket",
                                "pen:create_app()"], "gunicorn")
        self.worker = self._spawn([str(BIN / "flask"), "--app", "pen", "worker",
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


# --- A browser without a browser ----------------------------------------------------------

class Response:
    """Status, Location and body of one answer."""

    def __init__(self, status: int, location: str, body: str):
        self.status, self.location, self.body = status, location, body


class Browser:
    """Cookies, forms and multipart uploads over plain HTTP; redirects are not followed."""

    def __init__(self, port: int):
        self.port, self.cookies, self.token = port, {}, None

    def request(self, method: str, path: str, body: bytes = b"",
                content_type: str = "") -> Response:
        """One request with the cookies held; keeps the cookies set."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body or None, headers=headers)
            answer = conn.getresponse()
            text_ = answer.read().decode("utf-8", errors="replace")
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Response(answer.status, answer.headers.get("Location", ""), text_)
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict, upload: tuple[str, bytes] | None = None) -> Response:
        """A form POST with the CSRF token; ``upload`` is (file name, bytes) for ``file``."""
        fields = {"csrf_token": self.token, **fields}
        if upload is None:
            return self.request("POST", path, urlencode(fields).encode(),
                                "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                 .encode() for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{upload[0]}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
                     + upload[1] + f"\r\n--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts),
                            f"multipart/form-data; boundary={boundary}")

    def login(self, email: str, form_path: str) -> None:
        """Sign in, then keep a CSRF token of the new session (from ``form_path``)."""
        self.token = csrf_token_from(self.get("/auth/login").body)
        answer = self.post("/auth/login", {"email": email, "password": PASSWORD})
        assert answer.status == 302, f"login of {email} answered {answer.status}"
        self.token = csrf_token_from(self.get(form_path).body)


def id_from(location: str, pattern: str) -> int | None:
    """The id in a redirect's Location, if it is the expected kind of page."""
    found = re.search(pattern, location)
    return int(found.group(1)) if found else None


# --- Writers and what they were told -------------------------------------------------------

class Ledger:
    """Every answer's status and every acknowledged write with what it should hold."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests, self.acks = 0, 0
        self.statuses: Counter = Counter()
        self.server_errors: list[str] = []
        self.unexpected: list[str] = []
        self.topics: dict[int, tuple[str, str]] = {}  # id: (title, opening post body)
        self.posts: dict[int, set[str]] = {}  # id: the bodies it may hold (an unacked edit)
        self.documents: dict[int, tuple[str, str]] = {}  # id: (title, sha256 of the file)

    def answered(self, what: str, answer: Response | None) -> None:
        """Count one answer (None: the connection failed, as while the site is down)."""
        with self.lock:
            self.requests += 1
            self.statuses[answer.status if answer else f"no answer ({what})"] += 1
            if answer is not None and answer.status >= 500:
                self.server_errors.append(f"{what}: {answer.status}")
            elif answer is not None and answer.status != 302:
                self.unexpected.append(f"{what}: {answer.status} {answer.body[:300]!r}")

    def acknowledged(self, table: dict, key: int, value) -> int:
        """Note an acknowledged write; the number of acknowledged writes so far."""
        with self.lock:
            table[key] = value
            self.acks += 1
            return self.acks


class Writer:
    """One member posting topics, replying, uploading and editing, in a fixed cycle."""

    CYCLE = ("topic", "reply", "upload", "reply", "edit")

    def __init__(self, port: int, email: str, slug: str, ledger: Ledger, seed: int,
                 upload_bytes: int = 4096):
        self.browser, self.email, self.slug, self.ledger = Browser(port), email, slug, ledger
        self.rng, self.upload_bytes, self.steps = random.Random(seed), upload_bytes, 0
        self.mine: list[int] = []

    def step(self) -> int | None:
        """Do the next write; the count of acknowledged writes if it was acknowledged."""
        self.steps += 1
        action = self.CYCLE[self.steps % len(self.CYCLE)]
        if action == "edit" and self.mine:
            return self.edit()
        if action in ("reply", "edit") and self.ledger.topics:
            return self.reply()
        return self.upload() if action == "upload" else self.topic()

    def _send(self, what: str, path: str, fields: dict, upload=None) -> Response | None:
        try:
            answer = self.browser.post(path, fields, upload)
        except (OSError, http.client.HTTPException):  # the site was killed mid-request
            answer = None
        self.ledger.answered(what, answer)
        return answer

    def _word(self) -> str:
        return f"{self.email.split('@')[0]}w{self.steps}x{self.rng.randrange(10**9)}"

    def topic(self) -> int | None:
        title, body = f"Inventory {self._word()}", f"Opening post {self._word()}"
        answer = self._send("topic", f"/forums/c/{self.slug}/new",
                            {"title": title, "body": body, "submit": "Start topic"})
        found = answer and id_from(answer.location, r"/forums/t/(\d+)")
        return found and self.ledger.acknowledged(self.ledger.topics, found, (title, body))

    def reply(self) -> int | None:
        topic_id = self.rng.choice(sorted(self.ledger.topics))
        body = f"Reply {self._word()}"
        answer = self._send("reply", f"/forums/t/{topic_id}/reply",
                            {"body": body, "submit": "Post reply"})
        found = answer and id_from(answer.location, r"/forums/p/(\d+)")
        if found:
            self.mine.append(found)
        return found and self.ledger.acknowledged(self.ledger.posts, found, {body})

    def edit(self) -> int | None:
        post_id = self.rng.choice(self.mine)
        body = f"Edited {self._word()}"
        with self.ledger.lock:  # until acknowledged, the post may hold either body
            self.ledger.posts[post_id] = self.ledger.posts[post_id] | {body}
        answer = self._send("edit", f"/forums/p/{post_id}/edit",
                            {"body": body, "submit": "Save changes"})
        if answer and id_from(answer.location, rf"/forums/p/({post_id})\b"):
            return self.ledger.acknowledged(self.ledger.posts, post_id, {body})
        return None

    def upload(self) -> int | None:
        word = self._word()
        data = (f"PCB inventory {word}\n".encode() * (self.upload_bytes // 40 + 1))
        data = data[:self.upload_bytes]
        fields = {"title": f"Report {word}", "doc_type": "inventory", "language": "en",
                  "access": "network", "country": "", "group_id": "", "year": "",
                  "authors": "", "description": "", "submit": "Upload"}  # as a browser sends
        answer = self._send("upload", "/library/upload", fields, (f"{word}.txt", data))
        found = answer and id_from(answer.location, r"/library/(\d+)$")
        return found and self.ledger.acknowledged(
            self.ledger.documents, found, (fields["title"], hashlib.sha256(data).hexdigest()))


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
    from pen.search import SearchOutbox
    from pen.types import utcnow

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    with app.app_context():
        now = utcnow()
        pending = MailMessage.status == "pending"
        held = MailMessage.claimed_until > now
        left = {"search": count(SearchOutbox), "mail": count(MailMessage, pending, ~held),
                "mail held": count(MailMessage, pending, held),
                "extraction": count(Version, Version.extraction == "pending"),
                "extraction held": count(Version, Version.extraction == "running")}
        db.session.remove()
    return left
