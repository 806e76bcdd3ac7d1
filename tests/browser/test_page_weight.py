"""Slow links: what a topic page costs to load, first and next time, and no layout shift.

Measured in Chromium through the DevTools protocol: each response's bytes on the wire
(``Network.loadingFinished``'s ``encodedDataLength``: headers and body as transferred),
and nothing for what came from the browser's cache. Static files are served the way
production serves them (``pen.staticfiles``: WhiteNoise in the app, gzip/brotli
variants, fingerprinted names cached for a year as immutable). Pages themselves are
compressed by nginx in production (Debian's ``nginx.conf`` has ``gzip on``, level 1 by
default, for ``text/html``), not by the app: a page's bytes are counted here as its
headers plus its body gzip-ed at nginx's level.
"""

import gzip

import pytest
from sqlalchemy import select

from pen.admin import demo
from pen.extensions import db
from pen.forums.models import Topic
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_keyboard import sign_in_by_keyboard

pytestmark = pytest.mark.browser

MEMBER = "member@pen.example"
FIRST_VISIT_BUDGET = 150 * 1024  # HTML + CSS + JS + fonts, compressed
NEXT_VISIT_BUDGET = 30 * 1024
NGINX_GZIP_LEVEL = 1  # nginx's gzip_comp_level when not set
COUNTED = {"Document", "Stylesheet", "Script", "Font"}
CLS_LIMIT = 0.1  # "good" by the Web Vitals thresholds

# Installed before any page script: the page's layout shifts, summed. CLS leaves out
# shifts right after an input; no input happens here, and Playwright's evaluate counts as
# one (a user gesture), so every shift is counted: stricter than CLS, never looser.
WATCH_SHIFTS = """
window.__cls = 0;
window.__addShifts = entries => {
  for (const entry of entries) window.__cls += entry.value;
};
window.__shifts = new PerformanceObserver(list => window.__addShifts(list.getEntries()));
window.__shifts.observe({type: 'layout-shift', buffered: true});
"""


class Wire:
    """Bytes transferred per request of one page load, from the DevTools protocol."""

    def __init__(self, page):
        self.page = page
        self.kinds: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.cached: set[str] = set()
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.responseReceived", self._received)
        session.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        session.on("Network.loadingFinished", self._finished)

    def _received(self, event) -> None:
        self.kinds[event["requestId"]] = event["type"]
        self.urls[event["requestId"]] = event["response"]["url"]
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def _finished(self, event) -> None:
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def load(self, path: str) -> dict[str, int]:
        """Open ``path``; bytes on the wire per counted URL (pages gzip-ed as nginx does)."""
        for table in (self.kinds, self.urls, self.sizes):
            table.clear()
        self.cached.clear()
        response = self.page.goto(path, wait_until="networkidle")
        page_bytes = len(gzip.compress(response.body(), NGINX_GZIP_LEVEL))
        weights = {}
        for request_id, kind in self.kinds.items():
            if kind not in COUNTED or request_id in self.cached:
                continue
            size = self.sizes.get(request_id, 0)
            if kind == "Document":
                size = page_bytes + self._headers(response)
            weights[self.urls[request_id]] = size
        return weights

    @staticmethod
    def _headers(response) -> int:
        """The status line and headers as sent (HTTP/1.1 text)."""
        lines = [f"HTTP/1.1 {response.status} {response.status_text}"]
        lines += [f"{name}: {value}" for name, value in response.headers_array()]
        return len("\r\n".join(lines)) + 4


def _longest_topic(server) -> int:
    """The open topic with the most posts: the heaviest first page a member opens."""
    with server.app.app_context():
        topic_id = db.session.scalar(
            select(Topic.id).where(Topic.group_id.is_(None), Topic.deleted.is_(False))
            .order_by(Topic.post_count.desc(), Topic.id))
        db.session.remove()
    return topic_id


def _report(weights: dict[str, int]) -> str:
    return ", ".join(f"{url.rsplit('/', 1)[-1] or url}: {size} B"
                     for url, size in sorted(weights.items(), key=lambda item: -item[1]))


@pytest.fixture
def cold_page(browser, page, demo_server):
    """A signed-in member's page with an empty cache (a new context given the session),
    its layout shifts watched from the start."""
    sign_in_by_keyboard(page, MEMBER, demo.DEMO_PASSWORD)
    context = browser.new_context(base_url=demo_server.base_url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies(page.context.cookies())
    context.add_init_script(WATCH_SHIFTS)
    yield context.new_page()
    context.close()


def test_a_topic_page_fits_the_budget_first_and_next_time(cold_page, demo_server):
    topic_id = _longest_topic(demo_server)
    wire = Wire(cold_page)

    first = wire.load(f"/forums/t/{topic_id}")
    assert any(url.endswith(".css") for url in first), _report(first)
    assert sum(first.values()) < FIRST_VISIT_BUDGET, _report(first)

    second = wire.load(f"/forums/t/{topic_id}")
    assert all(not url.endswith((".css", ".js")) for url in second), _report(second)
    assert sum(second.values()) < NEXT_VISIT_BUDGET, _report(second)


def _layout_shift(page) -> float:
    """The page's CLS so far, read after two frames have been drawn."""
    return page.evaluate("""() => new Promise(done => requestAnimationFrame(
        () => requestAnimationFrame(() => setTimeout(() => {
            window.__addShifts(window.__shifts.takeRecords());
            done(window.__cls);
        }))))""")


def test_home_and_a_topic_do_not_shift_while_loading(cold_page, demo_server):
    topic = f"/forums/t/{_longest_topic(demo_server)}"
    for width in (1280, 390):  # a desktop, a phone
        cold_page.set_viewport_size({"width": width, "height": 800})
        for path in ("/", topic):
            cold_page.goto(path, wait_until="networkidle")
            shift = _layout_shift(cold_page)
            assert shift < CLS_LIMIT, f"{path} at {width} px: layout shift {shift:.3f}"


def test_the_shift_watch_sees_a_shift(page):
    """The measurement itself: a block pushed in above the text is a shift."""
    page.set_content('<html><body><p style="height: 400px">Text that will move down.</p>'
                     '</body></html>')
    page.evaluate(WATCH_SHIFTS)
    assert _layout_shift(page) == 0
    page.evaluate("""() => { const block = document.createElement('div');
        block.style.height = '300px'; document.body.prepend(block); }""")
    assert _layout_shift(page) > CLS_LIMIT
