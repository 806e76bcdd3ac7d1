"""Arabic reads right to left: the home, a topic and the member directory, in Chromium.

A member picks العربية in the footer's language switcher; each page is then checked
for its direction (the document's and the computed one), the right-to-left
Bootstrap, a mirrored layout (the brand on the right), and that nothing overflows
sideways, on a desktop and on a phone. Screenshots are written to
``$PEN_SCREENSHOTS`` (default: the test's temporary folder) for a person to look at.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_login_flow import sign_in

pytestmark = pytest.mark.browser

DEMO_MEMBER, DEMO_PASSWORD = "member@pen.example", "pen-demo-2011"
PAGES = {"home": "/", "topic": None, "directory": "/members/"}


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go."""
    folder = Path(os.environ.get("PEN_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _layout(page) -> dict:
    """What the browser made of the page's direction and width."""
    return page.evaluate("""() => ({
        dir: document.documentElement.dir,
        direction: getComputedStyle(document.body).direction,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        rtlCss: [...document.styleSheets].some(s => (s.href || '').includes('bootstrap.rtl')),
        brandRight: document.querySelector('.navbar-brand').getBoundingClientRect().right,
        width: document.documentElement.clientWidth,
    })""")


def _check_page(page, name: str, folder: Path, suffix: str) -> None:
    layout = _layout(page)
    assert layout["dir"] == "rtl" and layout["direction"] == "rtl", (name, layout)
    assert layout["rtlCss"], f"{name}: Bootstrap's right-to-left stylesheet is not loaded"
    assert layout["overflow"] <= 0, f"{name} overflows sideways by {layout['overflow']}px"
    assert layout["brandRight"] > layout["width"] / 2, f"{name}: the brand is not on the right"
    shot = folder / f"ar-{name}-{suffix}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def _topic_path(page) -> str:
    page.goto("/forums/")
    page.locator("a[href^='/forums/c/']").first.click()
    return page.locator("a[href^='/forums/t/']").first.get_attribute("href")


def test_arabic_pages_read_right_to_left(page, demo_server, shots, console):
    sign_in(page, DEMO_MEMBER, DEMO_PASSWORD)
    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    for name, path in {**PAGES, "topic": _topic_path(page)}.items():
        page.goto(path)
        _check_page(page, name, shots, "desktop")
    console.assert_clean()


def test_arabic_pages_fit_a_phone(phone_page, demo_server, shots, console):
    sign_in(phone_page, DEMO_MEMBER, DEMO_PASSWORD)
    phone_page.get_by_role("button", name="العربية").click()
    expect(phone_page.locator("html")).to_have_attribute("dir", "rtl")
    for name, path in {**PAGES, "topic": _topic_path(phone_page)}.items():
        phone_page.goto(path)
        _check_page(phone_page, name, shots, "phone")
    console.assert_clean()
