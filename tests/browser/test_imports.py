"""Importing the contact list on the web, in a real Chromium: upload, preview, confirm,
the progress bar following the worker, the report and its CSV."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pen.auth import service as accounts
from pen.extensions import db
from pen.imports import jobs
from tests.browser.test_login_flow import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

CONTACT_LIST = Path("/work/shared/data/pen-members-2011.csv")
ADMIN_EMAIL = "amina.diallo@example.org"


@pytest.fixture
def admin_site(live_server):
    """The live site with an administrator."""
    if not CONTACT_LIST.exists():
        pytest.skip(f"the network's contact list is not at {CONTACT_LIST}")
    with live_server.app.app_context():
        accounts.create_user(ADMIN_EMAIL, "Amina Diallo", PASSWORD, ("admin",))
        db.session.commit()
        db.session.remove()
    return live_server


def run_worker_pass(app) -> None:
    """The worker's imports task, as the worker thread would run it."""
    with app.app_context():
        assert jobs.run_pending() == 1
        db.session.remove()


def test_admin_uploads_the_contact_list_and_gets_the_report(admin_site, page, console):
    sign_in(page, ADMIN_EMAIL, PASSWORD)
    page.goto("/admin/dashboard")
    page.get_by_role("link", name="Import members or library files").click()
    page.locator("#members-file").set_input_files(str(CONTACT_LIST))
    page.get_by_role("button", name="Upload and preview").first.click()

    expect(page.get_by_role("heading", name="Columns as understood")).to_be_visible()
    expect(page.get_by_text("Problems, line by line")).to_be_visible()
    expect(page.get_by_text("two@@example.org").first).to_be_visible()
    page.get_by_role("button", name="Import", exact=True).click()

    # The page waits for the worker, polling; the worker's pass runs; the page reloads
    # itself into the report.
    expect(page.locator("#import-bar")).to_be_visible()
    run_worker_pass(admin_site.app)
    expect(page.get_by_role("heading", name="Report")).to_be_visible()
    expect(page.get_by_text("two@@example.org").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (CSV)").click()
    report = Path(download.value.path()).read_text()
    assert report.startswith("line,item,outcome,detail")
    assert re.search(r"^\d+,two@@example.org,skipped,", report, re.MULTILINE)
    console.assert_clean()
