"""Two members talk in a private conversation, in a real browser (JavaScript not needed)."""

import pytest
from playwright.sync_api import expect

from pen.auth import service as accounts
from pen.extensions import db
from tests.browser.test_login_flow import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def moussa(live_server):
    """A second member, Moussa; returns his id."""
    with live_server.app.app_context():
        user = accounts.create_user("moussa@example.org", "Moussa Ouédraogo", PASSWORD, ())
        db.session.commit()
        user_id = user.id
        db.session.remove()
    return user_id


def test_start_answer_and_leave_a_conversation(page, browser, live_server, moussa, console):
    sign_in(page, live_server.member_email, live_server.password)
    page.goto(live_server.url(f"/members/{moussa}"))
    page.get_by_role("link", name="Send a message").click()
    page.get_by_label("Subject").fill("Transformer oil samples")
    page.get_by_label("Your message").fill("Moussa, can you share the **lab** results?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transformer oil samples")
    expect(page.locator(".pen-messages strong")).to_have_text("lab")
    console.assert_clean()

    other = browser.new_context(base_url=live_server.base_url)
    try:
        reader = other.new_page()
        sign_in(reader, "moussa@example.org", PASSWORD)
        messages_link = reader.get_by_role("link", name="Messages 1 unread")
        expect(messages_link).to_be_visible()
        messages_link.click()
        reader.get_by_role("link", name="Transformer oil samples").click()
        reader.get_by_label("Your message").fill("Here they are: 3 of 12 above 50 ppm.")
        reader.get_by_role("button", name="Send").click()
        expect(reader.locator(".pen-messages")).to_contain_text("3 of 12 above 50 ppm")
    finally:
        other.close()

    page.goto(live_server.url("/messages/"))
    expect(page.locator(".pen-conversations").get_by_text("Unread", exact=True)).to_be_visible()
    page.get_by_role("link", name="Transformer oil samples").click()
    expect(page.locator(".pen-messages")).to_contain_text("3 of 12 above 50 ppm")
    # Leaving asks first, in a dialog: "Cancel" keeps the conversation, the button leaves.
    page.get_by_role("button", name="Leave this conversation").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Leave the conversation Transformer oil samples?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".pen-messages")).to_contain_text("3 of 12 above 50 ppm")
    page.get_by_role("button", name="Leave this conversation").click()
    dialog.get_by_role("button", name="Leave this conversation").click()
    expect(page.get_by_role("status").first).to_contain_text("You left the conversation")
    expect(page.get_by_role("link", name="Transformer oil samples")).to_have_count(0)
    console.assert_clean()
