"""Two-step sign-in in a real Chromium: enrolment with the QR code page, then signing in
with a code computed by pyotp from the key the page shows."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.test_login_flow import sign_in

pytestmark = pytest.mark.browser


def test_member_sets_up_two_step_sign_in_then_signs_in_with_a_code(page, live_server,
                                                                      console):
    sign_in(page, live_server.member_email, live_server.password)
    expect(page).to_have_url(live_server.url("/"))
    page.goto("/auth/two-factor/setup")
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", qr.element_handle()) > 100  # drawn
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().replace(" ", ""))

    page.get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_text("That code is not right.")).to_be_visible()
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    sign_in(page, live_server.member_email, live_server.password)
    expect(page).to_have_url(live_server.url("/auth/two-factor"))
    page.goto("/")  # the password alone opens nothing
    expect(page).to_have_url(re.compile(r"/auth/login\?next=/$"))

    sign_in(page, live_server.member_email, live_server.password)
    page.get_by_label("Code", exact=True).fill("123456")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right, or it was already used.")).to_be_visible()
    # The enrolment spent this step's code: the next step's is accepted (a window of one).
    page.get_by_label("Code", exact=True).fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live_server.url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Welcome, {live_server.member_name}")
    # The two refused codes answered 400 (as every refused form does); nothing else logged.
    refused = [p for p in console.problems if "status of 400 (BAD REQUEST)" in p]
    assert len(refused) == 2
    console.problems[:] = [p for p in console.problems if p not in refused]
    console.assert_clean()
