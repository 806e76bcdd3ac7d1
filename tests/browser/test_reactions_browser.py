"""Reacting to a post in Chromium: the button changes in place, without a reload."""

import pytest
from playwright.sync_api import expect

from pen.auth import service as accounts
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.forums import service
from tests.browser.test_login_flow import sign_in

pytestmark = pytest.mark.browser


def test_thanks_toggles_in_place(page, live_server, console):
    with live_server.app.app_context():
        author = accounts.create_user("ana@example.org", "Ana González", "x" * 16, ())
        category = service.create_category(SYSTEM, "Inventories")
        topic_id = service.create_topic(author, category, "Inventory forms", "Which form?").id
        db.session.remove()
    sign_in(page, live_server.member_email, live_server.password)
    page.goto(f"/forums/t/{topic_id}")
    page.evaluate("window.stillThisPage = true")
    thanks = page.get_by_role("button", name="Thanks")
    expect(thanks).to_have_attribute("aria-pressed", "false")
    thanks.click()
    expect(thanks).to_have_attribute("aria-pressed", "true")
    expect(thanks.locator(".pen-react-count")).to_have_text("1")
    expect(thanks).to_have_attribute("title", live_server.member_name)
    assert page.evaluate("window.stillThisPage") is True  # no reload happened
    thanks.click()
    expect(thanks).to_have_attribute("aria-pressed", "false")
    expect(thanks.locator(".pen-react-count")).to_have_text("0")
    page.reload()
    expect(page.get_by_role("button", name="Thanks")).to_have_attribute("aria-pressed", "false")
    console.assert_clean()
