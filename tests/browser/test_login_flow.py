"""A member signs in and out through the real pages, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"


def sign_in(page, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_member_signs_in_sees_home_and_signs_out(page, live_server, console):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/auth/login\?next=/$"))
    expect(page.get_by_role("heading", name="Sign in to PEN")).to_be_visible()
    # CSRF protection is on: the form carries its token and the browser posts it.
    expect(page.locator("main form input[name=csrf_token]")).to_have_value(re.compile(r".{20,}"))

    sign_in(page, live_server.member_email, live_server.password)

    expect(page).to_have_url(live_server.url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Welcome, {live_server.member_name}")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name=live_server.member_name)).to_be_visible()
    expect(nav.get_by_role("link", name="Administration")).to_have_count(0)

    nav.get_by_role("button", name="Log out").click()

    expect(page).to_have_url(live_server.url("/auth/login"))
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    expect(page.get_by_role("heading", name="Sign in to PEN")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto("/")  # the session is really over
    expect(page).to_have_url(re.compile(r"/auth/login\?next=/$"))
    console.assert_clean()


def test_wrong_password_says_so_and_keeps_the_email(page, live_server, console):
    sign_in(page, live_server.member_email, "not the password")

    expect(page).to_have_url(live_server.url("/auth/login"))
    expect(page.get_by_text("Wrong email or password.")).to_be_visible()
    expect(page.get_by_label("Email", exact=True)).to_have_value(live_server.member_email)
    password = page.get_by_label("Password", exact=True)
    expect(password).to_have_value("")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    console.assert_clean()


def test_pages_load_without_console_errors_or_csp_violations(page, live_server, console):
    for path in ("/auth/login", "/auth/reset"):
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
    sign_in(page, live_server.member_email, live_server.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    for path in ("/", "/auth/password"):
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
    # The stylesheets really applied (a CSP block would leave the page unstyled).
    expect(page.locator(".pen-navbar")).to_have_css("background-color", "rgb(11, 93, 59)")
    console.assert_clean()


def test_the_console_watch_catches_a_csp_violation(page, live_server, console):
    """Guard for the test above: a blocked inline style must be reported."""
    page.goto("/auth/login")
    with page.expect_console_message(lambda message: "CSP violation" in message.text):
        page.evaluate("""() => {
            const style = document.createElement("style");
            style.textContent = "body { color: red; }";
            document.head.append(style);
        }""")
    assert any("CSP violation: style-src" in problem for problem in console.problems)


@pytest.mark.parametrize("signed_in", [False, True], ids=["login-page", "home-page"])
def test_phone_viewport_has_no_horizontal_overflow(phone_page, live_server, console,
                                                   signed_in):
    page = phone_page
    if signed_in:
        sign_in(page, live_server.member_email, live_server.password)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    else:
        page.goto("/auth/login")
        expect(page.get_by_role("heading", name="Sign in to PEN")).to_be_visible()
    widths = page.evaluate(WIDTHS)
    # A mobile browser zooms out to fit a too-wide page, which widens innerWidth too:
    # so the viewport must still be the phone's, and nothing may reach beyond it.
    assert widths["inner"] == 375, f"the browser zoomed out to fit the page: {widths}"
    assert widths["scroll"] <= widths["inner"], f"the page scrolls sideways: {widths}"
    console.assert_clean()


def test_skip_link_appears_on_first_tab(phone_page, live_server):
    page = phone_page
    page.goto("/auth/login")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).not_to_be_in_viewport()

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    skip_link.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
