"""Browser fixtures: Debian's Chromium through Playwright, and the app on a live server.

The browser is started once per run; each test gets its own app (fresh database,
CSRF on, as in production) served on a free loopback port, and a fresh browser
context (no cookies carried over). Without ``/usr/bin/chromium`` every browser
test is skipped with the reason.
"""

import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from pen import search
from pen.admin import demo
from pen.auth import service
from pen.extensions import db
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000

# Injected before any page script: report CSP violations on the console, where the
# console watcher sees them (Chromium's own CSP message is not always a console event).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked}`);
});
"""


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; skips when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        sync_api.expect.set_options(timeout=TIMEOUT_MS)
        yield browser
        browser.close()


@dataclass
class LiveServer:
    """The served app and its address; ``url("/auth/login")`` gives a full URL."""

    app: object
    base_url: str
    member_email: str = "lan.nguyen@example.org"
    member_name: str = "Nguyen Thi Lan"
    password: str = PASSWORD

    def url(self, path: str = "/") -> str:
        return self.base_url + path


@pytest.fixture
def live_server(app_factory):
    """The app on 127.0.0.1 and a free port, with one active member; stopped after."""
    app = app_factory(SERVER_NAME=None, WTF_CSRF_ENABLED=True)
    server = LiveServer(app=app, base_url="")
    with app.app_context():
        service.create_user(server.member_email, server.member_name, server.password, ())
        db.session.commit()
        db.session.remove()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              name="live-server", daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{httpd.server_port}"
    yield server
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@dataclass
class ConsoleWatch:
    """Console errors, uncaught exceptions and CSP violations seen by a page."""

    problems: list[str] = field(default_factory=list)

    def on_console(self, message) -> None:
        if message.type not in ("error", "assert"):
            return
        self.problems.append(f"console {message.type}: {message.text} ({message.location})")

    def on_page_error(self, error) -> None:
        self.problems.append(f"uncaught exception: {error}")

    def assert_clean(self) -> None:
        assert not self.problems, "the page reported problems:\n" + "\n".join(self.problems)


@pytest.fixture
def console():
    """What the ``page`` fixture's page logged; ``console.assert_clean()`` fails on errors."""
    return ConsoleWatch()


@pytest.fixture
def context(browser, live_server):
    """A fresh browser context (no cookies) aimed at the live server, closed after."""
    context = browser.new_context(base_url=live_server.base_url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    yield context
    context.close()


@pytest.fixture
def page(context, console):
    """A page whose console errors, exceptions and CSP violations are collected."""
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    return page


@pytest.fixture
def phone_page(browser, live_server, console):
    """A page in a 375x667 phone-sized context, console watched like ``page``."""
    context = browser.new_context(base_url=live_server.base_url,
                                  viewport={"width": 375, "height": 667},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    yield page
    context.close()


@pytest.fixture
def demo_server(live_server):
    """The live server with the demo network, indexed."""
    with live_server.app.app_context():
        demo.seed()
        search.drain()
        db.session.commit()
        db.session.remove()
    return live_server
