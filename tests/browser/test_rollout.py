"""The rollout, end to end in a real Chromium: import, invite the test group, join, open up.

The admin imports the network's contact list, invites the test group from the
rollout page; a test-group member follows the link in the mail a real SMTP
server received and joins while the site is in pilot mode; a member outside
the test group sees "not open yet" until the admin opens the site.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pen import mail
from pen.auth import service as accounts
from pen.extensions import db
from pen.onboarding import cohorts
from tests.browser.test_login_flow import sign_in
from tests.conftest import PASSWORD
from tests.onboarding.conftest import links_by_recipient, make_all_due, path_of

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.fixtures_mail"]

CONTACT_LIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "pen-members-2011.csv"
ADMIN_EMAIL = "amina.diallo@example.org"
NEW_PASSWORD = "transformers without PCBs"


@pytest.fixture
def rollout(live_server, smtp_server):
    """The live site in pilot mode with the contact list imported and an administrator."""
    if not CONTACT_LIST.exists():
        pytest.skip(f"the network's contact list is not at {CONTACT_LIST}")
    app = live_server.app
    app.config.update(MAIL_URL=smtp_server.url)
    runner = app.test_cli_runner()
    with app.app_context():
        accounts.create_user(ADMIN_EMAIL, "Amina Diallo", PASSWORD, ("admin",))
        db.session.commit()
        imported = runner.invoke(args=["members", "import", str(CONTACT_LIST), "--quiet"])
        assert imported.exit_code == 0, imported.output
        assert runner.invoke(args=["site", "mode", "pilot"]).exit_code == 0
        db.session.remove()
    return live_server


def deliver_mail(app) -> None:
    """The worker's pass, once the throttle's spacing is over (no test sleeps)."""
    with app.app_context():
        make_all_due()
        mail.deliver_due(limit=1000)
        db.session.remove()


def test_admin_invites_the_test_group_who_join_in_pilot_then_opens_the_site(
        browser, rollout, page, smtp_server, console):
    sign_in(page, ADMIN_EMAIL, PASSWORD)
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Rollout").click()
    expect(page.get_by_text("The site is in pilot mode")).to_be_visible()
    page.get_by_label("Send to").select_option("test-group")
    page.get_by_role("button", name="Send invitations").click()
    summary = page.locator(".pen-report-summary")
    expect(summary).to_have_text(re.compile(r"^\d+ invited, 0 skipped$"))
    invited = int(summary.inner_text().split()[0])
    with rollout.app.app_context():
        assert invited == len(cohorts.member_ids(cohorts.test_group())) > 0

    deliver_mail(rollout.app)
    links = links_by_recipient(smtp_server)
    assert len(links) == invited
    email, [link] = next(iter(links.items()))

    joiner = browser.new_context(base_url=rollout.base_url).new_page()
    joiner.goto(path_of(link))
    expect(joiner.get_by_role("heading", name="Welcome to PEN")).to_be_visible()
    joiner.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    joiner.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    joiner.get_by_role("button", name="Join the network").click()
    expect(joiner.get_by_role("heading", level=1)).to_contain_text("Welcome to the network")
    expect(joiner.get_by_role("link", name="Complete your profile")).to_be_visible()
    joiner.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    sign_in(joiner, email, NEW_PASSWORD)  # and back in, while the site is in pilot mode
    expect(joiner.get_by_role("heading", level=1)).to_contain_text("Welcome,")
    joiner.goto(path_of(link))  # the link worked once
    expect(joiner.get_by_role("heading", name="This invitation link does not work")).to_be_visible()

    outsider = browser.new_context(base_url=rollout.base_url).new_page()
    sign_in(outsider, rollout.member_email, rollout.password)
    expect(outsider.get_by_role("heading", name="The network is not open yet")).to_be_visible()
    outsider.goto("/members/")
    expect(outsider.get_by_role("heading", name="The network is not open yet")).to_be_visible()

    page.goto("/admin/rollout/site")
    page.get_by_label(re.compile(r"^Open")).check()
    page.get_by_role("button", name="Save the site mode").click()
    expect(page.get_by_text("The site is now in open mode.").first).to_be_visible()

    outsider.goto("/")
    expect(outsider.get_by_role("heading", level=1)).to_have_text(
        f"Welcome, {rollout.member_name}")
    page.goto("/admin/rollout/?state=accepted")
    expect(page.get_by_text("1 invitation", exact=True)).to_be_visible()
    console.assert_clean()
