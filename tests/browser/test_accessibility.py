"""axe-core finds no serious or critical violation on the main pages, in six languages.

Every main page a member reaches (home, forums, a category, a topic, the library and
its search, the directory, a profile, the groups and a group, the calendar and an
event, the awards, messages, notifications) is checked signed in, and the pages a
visitor reaches (sign-in, apply to join) signed out, in English, French, Spanish,
Russian, Chinese and Arabic, each language chosen in the footer as a member does.
One server, one browser context per side: a failure names the page, the language,
the rule and the node.
"""

import pytest
from playwright.sync_api import expect

from pen.admin import demo
from pen.i18n import LANGUAGES
from tests.browser.axe import axe_source, describe, violations
from tests.browser.test_login_flow import sign_in

pytestmark = pytest.mark.browser

MEMBER = "member@pen.example"
SIGNED_OUT = {"sign-in": "/auth/login", "apply to join": "/apply/"}
SIGNED_IN = {"home": "/", "forums": "/forums/", "library": "/library/",
             "library search": "/library/?q=PCB", "directory": "/members/",
             "groups": "/groups/", "events calendar": "/events/", "awards": "/awards/",
             "messages": "/messages/", "notifications": "/notifications/"}
#: pages reached by following the first link of a list: name -> (list page, link prefix)
FOLLOWED = {"category": ("/forums/", "/forums/c/"), "topic": ("/forums/", "/forums/t/"),
            "profile": ("/members/", "/members/"), "a group": ("/groups/", "/groups/"),
            "an event": ("/events/list", "/events/")}
FOLLOW_SKIP = {"/members/me/edit", "/groups/new", "/events/new", "/events/list"}


def _first_link(page, list_path: str, prefix: str) -> str:
    """The first link on ``list_path`` to a page under ``prefix`` (not the list itself)."""
    page.goto(list_path)
    hrefs = page.locator(f"main a[href^='{prefix}']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    for href in hrefs:
        path = href.split("?")[0].split("#")[0]
        if path.rstrip("/") != prefix.rstrip("/") and path not in FOLLOW_SKIP \
                and "." not in path.rsplit("/", 1)[-1]:
            return path
    raise AssertionError(f"no link to {prefix}… on {list_path}")


def _choose_language(page, code: str) -> None:
    """The footer's language switcher, as a member uses it."""
    if page.locator("html").get_attribute("lang") != code:
        page.locator(f"footer button[name=locale][value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def _check(page, pages: dict[str, str], source: str) -> list[str]:
    """Every page in every language; the problems found, one line each."""
    problems = []
    for code in LANGUAGES:
        page.goto("/auth/login" if "sign-in" in pages else "/")
        _choose_language(page, code)
        for name, path in pages.items():
            page.goto(path)
            problems += describe(f"{name} [{code}] {path}", violations(page, source))
    return problems


def test_signed_in_pages_have_no_serious_violation(page, demo_server):
    source = axe_source()
    # Colours are judged at rest: Bootstrap's buttons fade between states in 0.15 s, and
    # axe reading the Menu button half-way through its hover fade saw a mixed colour.
    page.emulate_media(reduced_motion="reduce")
    sign_in(page, MEMBER, demo.DEMO_PASSWORD)
    expect(page.locator("header nav")).to_be_visible()
    pages = dict(SIGNED_IN)
    pages.update({name: _first_link(page, *where) for name, where in FOLLOWED.items()})
    problems = _check(page, pages, source)
    page.set_viewport_size({"width": 390, "height": 800})  # a phone, the Menu open
    page.goto("/")
    page.locator(".pen-menu > summary").click()
    expect(page.locator(".pen-menu-panel")).to_be_visible()
    language = page.locator("html").get_attribute("lang")
    problems += describe(f"home, phone menu open [{language}]", violations(page, source))
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(problems)


def test_signed_out_pages_have_no_serious_violation(page, demo_server):
    source = axe_source()
    problems = _check(page, SIGNED_OUT, source)
    page.goto("/auth/login")
    _choose_language(page, "en")
    sign_in(page, MEMBER, "not the password")  # the refusal, as the visitor sees it
    expect(page.get_by_text("Wrong email or password.")).to_be_visible()
    problems += describe("sign-in refused [en]", violations(page, source))
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(problems)


def test_axe_reports_what_it_finds(page):
    """The check itself: a page with a nameless link and low contrast fails, naming both."""
    source = axe_source()
    page.set_content('<html lang="en"><title>t</title><main><a href="/x"></a>'
                     '<p style="color:#bbb;background:#fff">faint</p></main></html>')
    found = {v["rule"] for v in violations(page, source)}
    assert {"link-name", "color-contrast"} <= found, found
