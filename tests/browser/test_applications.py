"""Applying to join, end to end in a real Chromium: apply, confirm, approve, join.

A visitor finds the form from the sign-in page while the site is in pilot mode,
applies, confirms with the link a real SMTP server received, an administrator
approves from the queue (the test group as cohort), and the applicant joins
through the invitation that follows.
"""

import re

import pytest
from playwright.sync_api import expect

from pen.auth import service as accounts
from pen.extensions import db
from pen.onboarding import service as rollout
from tests.browser.test_login_flow import sign_in
from tests.browser.test_rollout import deliver_mail
from tests.conftest import PASSWORD
from tests.onboarding.conftest import LINK as INVITATION_LINK
from tests.onboarding.conftest import path_of

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.fixtures_mail"]

ADMIN_EMAIL = "amina.diallo@example.org"
APPLICANT = "wanjiru.kamau@example.org"
CONFIRM_LINK = re.compile(r"https?://[^\s<>\"]+/apply/confirm/[A-Za-z0-9_\-]{20,}")


@pytest.fixture
def site(live_server, smtp_server):
    """The live site in pilot mode, mail to the SMTP server, an administrator; the time
    trap set to zero, since a test types faster than a person."""
    app = live_server.app
    app.config.update(MAIL_URL=smtp_server.url, APPLICATION_MIN_SECONDS=0)
    with app.app_context():
        admin = accounts.create_user(ADMIN_EMAIL, "Amina Diallo", PASSWORD, ("admin",))
        rollout.ensure_test_group()
        rollout.set_site_mode(admin, "pilot")
        db.session.remove()
    return live_server


def _mail_to(smtp_server, address: str) -> list[str]:
    return [m.get_body(preferencelist=("plain",)).get_content()
            for m in smtp_server.messages if m["To"] == address]


def test_apply_confirm_approve_and_join(browser, site, page, smtp_server, console):
    page.goto("/auth/login")
    page.get_by_role("link", name="Apply to join PEN").click()
    expect(page.get_by_role("heading", name="Join the PCBs Elimination Network")).to_be_visible()
    page.get_by_label("Your name").fill("Wanjiru Kamau")
    page.get_by_label("Email").fill(APPLICANT)
    page.get_by_label("Organisation", exact=True).fill("National Environment Management Authority")
    page.get_by_label("Type of organisation").select_option("government")
    page.get_by_label("Country").select_option("KE")
    page.get_by_label("Your role under the Stockholm Convention").select_option("expert")
    page.get_by_label("English").check()
    page.get_by_label("Why do you want to join PEN?").fill("I lead Kenya's PCB inventory.")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    deliver_mail(site.app)
    [link] = CONFIRM_LINK.findall(_mail_to(smtp_server, APPLICANT)[0])
    page.goto(path_of(link))
    page.get_by_role("button", name="Confirm my application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your application is with")

    admin = browser.new_context(base_url=site.base_url).new_page()
    sign_in(admin, ADMIN_EMAIL, PASSWORD)
    admin.goto("/admin/dashboard")
    admin.get_by_role("link", name="1 application waiting for a decision").click()
    admin.get_by_role("link", name="Wanjiru Kamau").click()
    admin.get_by_label("Cohort").select_option("test-group")
    admin.get_by_role("button", name="Approve and invite").click()
    expect(admin.get_by_text("the invitation to wanjiru.kamau@example.org is on its way")
           ).to_be_visible()

    deliver_mail(site.app)
    [invitation] = [link for text in _mail_to(smtp_server, APPLICANT)
                    for link in INVITATION_LINK.findall(text)]
    page.goto(path_of(invitation))
    page.get_by_label("New password", exact=True).fill("transformers without PCBs")
    page.get_by_label("Repeat the new password").fill("transformers without PCBs")
    page.get_by_role("button", name="Join the network").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome to the network")
    console.assert_clean()
