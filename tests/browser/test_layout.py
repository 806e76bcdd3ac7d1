"""The layout on a phone (390 px) and a desktop (1280 px), in English and Arabic, in Chromium.

Measured, not eyeballed: nothing overflows sideways, the header is one row (at 1280 px in
every language, with the administrator's longest menu), the phone's menu folds away
and opens, the calendar's columns are even with today marked, a directory card names
its member once. Screenshots go to ``$PEN_SCREENSHOTS`` (default: the test's temporary
folder) for a person to look at.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pen.admin import demo
from pen.auth import service
from pen.extensions import db
from pen.i18n import LANGUAGES
from tests.browser.conftest import REPORT_CSP_VIOLATIONS, TIMEOUT_MS
from tests.browser.test_login_flow import sign_in

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desktop": 1280}
PAGES = {"home": "/", "members": "/members/", "forums": "/forums/", "events": "/events/",
         "library": "/library/", "groups": "/groups/", "search": "/search?q=PCB"}
ONE_ROW_PX = 64  # the navbar's height with one row of links (two rows measure over 100)
LONG_NAME = "Maria-Fernanda Rodríguez de la Fuente"


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go."""
    folder = Path(os.environ.get("PEN_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browser, server, width: int, console):
    """A page in a context ``width`` pixels wide (a touch phone under 500)."""
    phone = width < 500
    context = browser.new_context(base_url=server.base_url,
                                  viewport={"width": width, "height": 800},
                                  is_mobile=phone, has_touch=phone)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    return page


def _choose_language(page, code: str) -> None:
    """The footer's switcher, as a member clicks it."""
    if page.locator("html").get_attribute("lang") != code:
        page.locator(f"footer button[name=locale][value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def _measure(page) -> dict:
    return page.evaluate("""() => {
        const bar = document.querySelector('.pen-bar');
        const shown = [...bar.children].filter(el => el.getClientRects().length);
        const tops = shown.map(el => el.getBoundingClientRect().top);
        return {
            overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            header: document.querySelector('.pen-navbar').getBoundingClientRect().height,
            rowSpread: Math.max(...tops) - Math.min(...tops),
            linksShown: !!document.querySelector('.pen-nav-links').getClientRects().length,
        };
    }""")


def _check_frame(page, name: str, width: int) -> None:
    """No sideways scrolling, a one-row header; on a phone the links wait in the Menu."""
    facts = _measure(page)
    assert facts["overflow"] <= 0, f"{name} at {width}px overflows by {facts['overflow']}px"
    assert facts["header"] <= ONE_ROW_PX, f"{name} at {width}px: header {facts['header']}px"
    assert facts["linksShown"] == (width >= 992), name


def _check_calendar(page, width: int) -> None:
    """Seven even columns on a desktop; on a phone the days stack inside the screen."""
    today = page.locator(".pen-calendar td[aria-current=date]")
    expect(today).to_be_visible()
    if width >= 768:
        widths = page.locator(".pen-calendar thead th").evaluate_all(
            "cells => cells.map(c => c.getBoundingClientRect().width)")
        assert len(widths) == 7 and max(widths) - min(widths) <= 1, widths
    else:
        right = page.locator(".pen-calendar").evaluate("t => t.getBoundingClientRect().right")
        assert right <= width


def _check_directory(page) -> None:
    """Each card prints its member's name once."""
    cards = page.locator(".pen-member-card")
    for index in range(min(cards.count(), 5)):
        card = cards.nth(index)
        name = card.locator("h3 a").inner_text()
        assert card.inner_text().count(name) == 1, card.inner_text()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_main_pages_fit_a_phone_and_a_desktop(browser, demo_server, shots, console, language):
    for label, width in WIDTHS.items():
        page = _page(browser, demo_server, width, console)
        sign_in(page, "admin@pen.example", demo.DEMO_PASSWORD)
        _choose_language(page, language)
        for name, path in PAGES.items():
            page.goto(path)
            _check_frame(page, name, width)
            if name == "events":
                _check_calendar(page, width)
            if name == "members":
                _check_directory(page)
            page.screenshot(path=str(shots / f"{language}-{name}-{label}.png"), full_page=True)
        if width < 992:
            page.locator(".pen-menu > summary").click()
            expect(page.locator(".pen-menu-panel").get_by_role("link").first).to_be_visible()
            assert _measure(page)["overflow"] <= 0
            page.screenshot(path=str(shots / f"{language}-menu-{label}.png"))
        page.context.close()
    console.assert_clean()


def test_the_header_is_one_row_at_1280_in_every_language(browser, live_server, shots, console):
    with live_server.app.app_context():
        service.create_user("admin@example.org", LONG_NAME, live_server.password, ("admin",))
        db.session.commit()
    page = _page(browser, live_server, 1280, console)
    sign_in(page, "admin@example.org", live_server.password)
    results = {}
    for code in LANGUAGES:
        _choose_language(page, code)
        page.locator(".pen-header").screenshot(path=str(shots / f"header-{code}-1280.png"))
        results[code] = _measure(page)
    tall = {code: facts for code, facts in results.items()
            if facts["header"] > ONE_ROW_PX or facts["rowSpread"] > 8 or facts["overflow"] > 0}
    assert tall == {}
    console.assert_clean()
