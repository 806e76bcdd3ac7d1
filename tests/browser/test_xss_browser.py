"""XSS in a real browser: the pages holding every vector run no script at all.

The vectors are written through the services (as in tests/security/test_xss.py),
then Chromium loads each page twice over: once with the site's Content-Security-Policy
bypassed, so escaping and sanitising alone must hold (any ``alert``/``confirm``/
``prompt``/``print``, dialog, script request or frame navigation fails the test), and
once as served, where every CSP violation caused by the page's content fails it too
(external images, blocked by ``img-src 'self'`` by design, are only counted).
"""

from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pytest

from pen import search
from pen.auth import service as accounts
from pen.extensions import db
from tests.browser.test_login_flow import sign_in
from tests.conftest import PASSWORD
from tests.security import xss_vectors
from tests.security.xss_vectors import VECTORS
from tests.security.xss_world import (
    award_world,
    event_world,
    forum_world,
    group_world,
    library_world,
    member_world,
)

pytestmark = pytest.mark.browser

# Runs before any page script: every way to show a dialog is recorded, not shown.
WATCH_SCRIPTS = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss.push(name + "(" + args.join(",") + ")"); };
}
document.addEventListener("securitypolicyviolation", (event) => {
  window.__xss.push("csp " + event.effectiveDirective + " " + (event.blockedURI || "inline"));
});
"""
ACTIVE_RESOURCES = {"script", "xhr", "fetch", "websocket", "eventsource", "manifest", "other"}
FAMILIES = ("POLYGLOTS", "SCRIPT_TAGS", "JAVASCRIPT_URLS", "DATA_URLS", "SVG_AND_MATHML",
            "EVENT_HANDLERS", "BROKEN_TAGS", "ATTRIBUTE_BREAKING", "CSS", "FRAMES_AND_EMBEDS",
            "MARKDOWN")
# The whole corpus in one text (each vector its own paragraph), then one object per
# vector for the first of each family: every vector reaches a page, and the number
# of page loads stays small.
PACKED = "\n\n".join(VECTORS)
SAMPLE = [PACKED, *dict.fromkeys(getattr(xss_vectors, name)[0] for name in FAMILIES)]
SKIPPED = ("/edit", "/history", "/setup", "/decisions", "/registrations")


@dataclass
class Watch:
    """What the pages did that they should not have."""

    problems: list[str] = field(default_factory=list)
    blocked_images: int = 0

    def on_dialog(self, dialog) -> None:
        self.problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def route(self, route) -> None:
        """Let the site's own requests through; refuse the rest, noting active ones."""
        request = route.request
        if urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
            return
        if request.resource_type in ACTIVE_RESOURCES or (
                request.resource_type == "document" and request.frame.parent_frame is None):
            self.problems.append(f"foreign {request.resource_type} request {request.url}")
        elif request.resource_type == "document":
            self.problems.append(f"frame navigation to {request.url}")
        route.abort()

    def record(self, page, path: str, bypassed: bool) -> None:
        for event in page.evaluate("window.__xss || []"):
            if event.startswith("csp img-src"):
                self.blocked_images += 1
            elif not (bypassed and event.startswith("csp")):
                self.problems.append(f"{path}: {event}")


def make_people() -> dict:
    """Accounts that write and read the vectors."""
    return {role: accounts.create_user(f"{role}@example.org", f"Xss {role.title()}", PASSWORD,
                                       roles)
            for role, roles in (("admin", ("admin",)), ("author", ()), ("replier", ()),
                                ("reviewer", ("committee",)))}


def write_world() -> dict[str, list[str]]:
    """Every area's vectors; the pages to load, by the email of who loads them."""
    people = make_people()
    admin, author = people["admin"], people["author"]
    pages = forum_world(SAMPLE, author, people["replier"], with_files=False)
    pages += member_world(SAMPLE, admin, lambda email, name: accounts.create_user(
        email, name, PASSWORD, ()))
    pages += library_world(SAMPLE, author, admin) + group_world(SAMPLE, admin, author)
    pages += event_world(SAMPLE, admin, author)
    pages += award_world(SAMPLE, admin, people["replier"], people["reviewer"])
    search.drain()
    db.session.commit()
    pages += [(author, f"/search?q={quote(v, safe='')}") for v in SAMPLE[1:]]
    by_reader: dict[str, list[str]] = {}
    for user, path in dict.fromkeys(pages):
        if not (any(part in path for part in SKIPPED) or path.endswith("/members")):
            # forms and secondary lists print the same texts: the static test covers them
            by_reader.setdefault(user.email, []).append(path)
    return by_reader


def load_all(browser, live_server, by_reader, bypass_csp: bool) -> Watch:
    """Sign in as each reader and load their pages; what ran is in the Watch."""
    watch = Watch()
    for email, paths in by_reader.items():
        context = browser.new_context(base_url=live_server.base_url, bypass_csp=bypass_csp)
        context.add_init_script(WATCH_SCRIPTS)
        context.route("**/*", watch.route)
        page = context.new_page()
        page.on("dialog", watch.on_dialog)
        page.on("pageerror", lambda error: watch.problems.append(f"page error: {error}"))
        sign_in(page, email, PASSWORD)
        for path in paths:
            page.goto(path, wait_until="load")
            watch.record(page, path, bypass_csp)
        context.close()
    return watch


def test_no_vector_runs_in_the_browser(browser, live_server):
    with live_server.app.app_context():
        by_reader = write_world()
        db.session.remove()
    assert sum(map(len, by_reader.values())) > 50
    for bypass_csp in (True, False):
        watch = load_all(browser, live_server, by_reader, bypass_csp)
        assert not watch.problems, (f"CSP {'bypassed' if bypass_csp else 'on'}:\n"
                                    + "\n".join(watch.problems[:50]))


def test_the_watch_sees_a_script_run(browser):
    """The hooks themselves: an unescaped vector is caught (so a pass means something)."""
    context = browser.new_context()
    context.add_init_script(WATCH_SCRIPTS)
    page = context.new_page()
    page.set_content("<img src=x onerror=alert(1)><svg onload=confirm(2)>")
    page.wait_for_function("window.__xss.length >= 2")
    assert sorted(page.evaluate("window.__xss")) == ["alert(1)", "confirm(2)"]
    context.close()
