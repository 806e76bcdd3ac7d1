"""The README's "Scaling out", run for real: the built package on two app servers behind
Debian's nginx, one worker each, PostgreSQL, Redis and a shared uploads folder.

Each server keeps its own search index on its own disk and follows the change log in
PostgreSQL; the test writes on one server and finds the write on the other, shares
uploads, keeps the rate limit across both, and SIGKILLs a worker mid-stream.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from tests.conftest import CHEAP_HASH, PG_URL, csrf_token_from
from tests.deploy.conftest import fetch
from tests.reliability.conftest import free_port, new_database
from tests.reliability.live import Browser

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "pen-demo-2011"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (PEN_TEST_DATABASE_URL)"),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="needs Debian's nginx"),
]


def wait_for(what: str, check, seconds: float = 90.0):
    """Poll ``check`` until it returns something true, with a deadline; its value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)  # polling with a deadline, not timing
    raise AssertionError(f"{what}: not within {seconds:.0f} s")


class Server:
    """One app server: gunicorn and its worker, its own data folder, the shared uploads."""

    def __init__(self, name: str, venv: Path, folder: Path, common: dict):
        self.name, self.venv, self.folder, self.port = name, venv, folder, free_port()
        folder.mkdir(parents=True)
        self.env = {**common, "PEN_DATA_DIR": str(folder / "data"),
                    "PEN_INSTANCE_PATH": str(folder / "instance"),
                    "PEN_SEARCH_REPLICA_NAME": name}
        self.web = self.worker = None
        self.starts = 0

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """A ``flask --app pen`` command of the installed package, run outside the checkout."""
        return subprocess.run([str(self.venv / "bin" / "flask"), "--app", "pen", *args],
                              env=self.env, cwd=self.folder, capture_output=True, text=True,
                              check=False, timeout=600)

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen:
        self.starts += 1
        out = open(self.folder / f"{log}.{self.starts}.log", "wb")  # noqa: SIM115
        return subprocess.Popen(args, env=self.env, cwd=self.folder, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def start_web(self) -> None:
        self.web = self._spawn([str(self.venv / "bin" / "gunicorn"), "-c",
                                "python:pen.gunicorn_conf", "--workers", "2", "--bind",
                                f"127.0.0.1:{self.port}", "--no-control-socket",
                                "pen:create_app()"], "gunicorn")

    def start_worker(self) -> None:
        self.worker = self._spawn([str(self.venv / "bin" / "flask"), "--app", "pen", "worker",
                                   "--interval", "0.5"], "worker")

    def kill_worker(self) -> None:
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def ready(self) -> bool:
        try:
            return Browser(self.port).get("/readyz").status == 200
        except OSError:
            return False

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Proxy:
    """Debian's nginx with the repository's site file, its upstreams pointed at the servers."""

    def __init__(self, folder: Path, servers: list[Server]):
        self.folder, self.port = folder, free_port()
        folder.mkdir(parents=True)
        site = (ROOT / "deploy" / "nginx" / "pen.conf").read_text()
        upstreams = "".join(f"    server 127.0.0.1:{s.port} max_fails=1 fail_timeout=10s;\n"
                            for s in servers)
        site = re.sub(r"(upstream pen_app \{\n(?:\s*#.*\n)*)(?:\s*server .*\n)+",
                      lambda m: m.group(1) + upstreams, site)
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        (folder / "pen.conf").write_text(site)
        (folder / "nginx.conf").write_text(
            f"user root;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
            f"error_log {folder}/error.log;\nevents {{ worker_connections 256; }}\n"
            "http {\n"
            "  log_format upstream '$status $upstream_addr $request';\n"
            f"  access_log {folder}/access.log upstream;\n"
            + "".join(f"  {name}_temp_path {folder}/{name};\n"
                      for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {folder}/pen.conf;\n}}\n")
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen([NGINX, "-p", str(self.folder), "-c",
                                         str(self.folder / "nginx.conf"), "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def upstreams_used(self) -> set[str]:
        return {line.split()[1] for line in (self.folder / "access.log").read_text().splitlines()
                if len(line.split()) > 1}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def deployment(installed_venv, tmp_path):
    """Two servers, migrated and seeded once with the demo, their workers, nginx in front."""
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"needs Redis on 127.0.0.1:6379 ({exc})")
    with new_database("pen_deploy") as url:
        common = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8",
                  "PEN_DATABASE_URL": url, "PEN_SECRET_KEY": uuid.uuid4().hex,
                  "PEN_UPLOADS_DIR": str(tmp_path / "shared" / "uploads"),
                  "PEN_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
                  "PEN_RATELIMIT_KEY_PREFIX": f"pen-deploy-{uuid.uuid4().hex[:8]}",
                  "PEN_LOGIN_LIMIT_PER_ACCOUNT": "5 per minute", "PEN_PROXY_FIX": "true",
                  "PEN_PASSWORD_HASH": json.dumps(CHEAP_HASH),
                  "PEN_SEARCH_WARM_TERMS": "0"}
        servers = [Server(name, installed_venv, tmp_path / name, common)
                   for name in ("one", "two")]
        proxy = Proxy(tmp_path / "nginx", servers)
        # The README's steps: migrate, an administrator, (here) the demo content, then each
        # server's own index before it starts.
        steps = [(servers[0], ("db", "upgrade")),
                 (servers[0], ("users", "create", "--email", "you@example.org", "--name",
                               "Secretariat", "--password", DEMO_PASSWORD, "--role", "admin")),
                 (servers[0], ("seed-demo",))]
        steps += [(server, ("search", "reindex")) for server in servers]
        for server, step in steps:
            done = server.flask(*step)
            assert done.returncode == 0, done.stdout + done.stderr
        try:
            for server in servers:
                server.start_web()
                server.start_worker()
            proxy.start()
            for server in servers:
                wait_for(f"server {server.name} ready", server.ready, 180)
            yield servers, proxy
        finally:
            proxy.stop()
            for server in servers:
                server.stop()


def signed_in(port: int, email: str = "member@pen.example") -> Browser:
    """A member signed in through ``port`` (the session is valid on every server)."""
    browser = Browser(port)
    browser.token = csrf_token_from(browser.get("/auth/login").body)
    answer = browser.post("/auth/login", {"email": email, "password": DEMO_PASSWORD})
    assert answer.status == 302, answer.body[:500]
    browser.token = csrf_token_from(browser.get("/forums/").body)
    return browser


def via(browser: Browser, port: int) -> Browser:
    """The same member (cookies, token) talking to another port."""
    other = Browser(port)
    other.cookies, other.token = dict(browser.cookies), browser.token
    return other


def first_category(browser: Browser) -> str:
    return re.search(r'href="/forums/c/([^"/]+)"', browser.get("/forums/").body).group(1)


def post_topic(browser: Browser, slug: str, word: str) -> int:
    answer = browser.post(f"/forums/c/{slug}/new", {"title": f"Transformer audit {word}",
                                                    "body": f"Inventory notes {word}",
                                                    "submit": "Start topic"})
    assert answer.status == 302, answer.body[:500]
    return int(re.search(r"/forums/t/(\d+)", answer.location).group(1))


def finds(browser: Browser, word: str) -> bool:
    return f"Transformer audit {word}" in browser.get(f"/forums/search?q={word}").body


def test_two_servers_behind_nginx(deployment):
    (one, two), proxy = deployment
    member = signed_in(proxy.port)

    # Arabic, through the proxy: translated (compiled catalogues in the wheel) and right-to-left.
    page = fetch(proxy.port, "/auth/login", {"Accept-Language": "ar"})[2].decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert re.search(r"[\u0600-\u06FF]{3,}", page) and ">Sign in<" not in page

    # A topic written on server one is found by search on server two within seconds.
    slug = first_category(member)
    word = f"w{uuid.uuid4().hex[:10]}"
    post_topic(via(member, one.port), slug, word)
    written = time.monotonic()
    wait_for("the topic found on server two", lambda: finds(via(member, two.port), word), 30)
    latency = time.monotonic() - written
    assert finds(member, word)  # and through the proxy, whichever server answers
    print(f"\nwrite on one -> search hit on two: {latency:.2f} s", file=sys.stderr)

    # A document uploaded on server one downloads from server two.
    data = f"PCB inventory of Region {word}\n".encode() * 50
    answer = via(member, one.port).post("/library/upload", {
        "title": f"Inventory {word}", "doc_type": "inventory", "language": "en",
        "access": "network", "country": "", "group_id": "", "year": "", "authors": "",
        "description": "", "submit": "Upload"}, (f"{word}.txt", data))
    assert answer.status == 302, answer.body[:500]
    document_id = int(re.search(r"/library/(\d+)$", answer.location).group(1))
    download = via(member, two.port).get(f"/library/{document_id}/download")
    assert download.status == 200 and download.body == data.decode()

    # The sign-in limit (5 per minute per account) holds across both servers.
    statuses = []
    for _ in range(7):
        guesser = Browser(proxy.port)
        guesser.token = csrf_token_from(guesser.get("/auth/login").body)
        statuses.append(guesser.post("/auth/login", {"email": "you@example.org",
                                                     "password": "wrong guess"}).status)
    assert 429 not in statuses[:5] and statuses[5:] == [429, 429], statuses
    assert proxy.upstreams_used() == {f"127.0.0.1:{one.port}", f"127.0.0.1:{two.port}"}

    # Server two's worker is SIGKILLed mid-stream and restarted: its index catches up.
    words = [f"k{n}x{uuid.uuid4().hex[:8]}" for n in range(12)]
    writer = via(member, one.port)
    for n, each in enumerate(words):
        post_topic(writer, slug, each)
        if n == 5:
            two.kill_worker()
    two.start_worker()
    reader = via(member, two.port)
    wait_for("every topic found on server two", lambda: all(finds(reader, w) for w in words), 60)
    for server in (one, two):
        wait_for(f"server {server.name} ready", server.ready, 60)
        check = server.flask("search", "check")
        assert check.returncode == 0, check.stdout + check.stderr
