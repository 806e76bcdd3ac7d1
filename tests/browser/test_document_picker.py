"""The document picker with JavaScript: the coordinator types words, the library suggests
the documents they may open, one click chooses the minutes, and the meeting is saved with
that document's id; another group's document is never suggested."""

import io

import pytest
from playwright.sync_api import expect

from pen.auth import service as accounts
from pen.extensions import db
from pen.groups import meetings
from pen.groups import service as groups
from pen.groups.models import Group
from pen.groups.service import GroupFields
from pen.library import samples
from pen.library import service as library
from tests.browser.test_login_flow import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _share(actor, title, **access):
    fields = library.Metadata(title=title, doc_type="inventory", language="en", **access)
    return library.upload(actor, fields, f"{title}.pdf", io.BytesIO(samples.make_pdf([title])))


@pytest.fixture
def site(live_server):
    """A group coordinated by the member, its minutes, and another group's document."""
    with live_server.app.app_context():
        admin = accounts.create_user("amina@example.org", "Amina Diallo", PASSWORD, ("admin",))
        other = accounts.create_user("kofi@example.org", "Kofi Mensah", PASSWORD, ())
        member = accounts.find_by_email(live_server.member_email)
        ours = groups.create_group(admin, GroupFields("Maintenance", "maintenance", ""),
                                   [member])
        theirs = groups.create_group(admin, GroupFields("Disposal", "disposal", ""), [other])
        minutes = _share(member, "Panama meeting minutes", access="group", group_id=ours.id)
        _share(other, "Panama disposal memo", access="group", group_id=theirs.id)
        ids = {"group": ours.id, "minutes": minutes.id}
        db.session.commit()
        db.session.remove()
    return live_server, ids


def test_typing_suggests_and_one_click_chooses_the_minutes(page, site, console):
    server, ids = site
    sign_in(page, server.member_email, server.password)
    page.goto("/groups/maintenance/meetings/new")
    page.get_by_label("Title", exact=True).fill("Second meeting")
    page.get_by_label("Date and time").fill("2031-03-04T09:30")
    page.get_by_label("Place").fill("Panama City")
    page.get_by_label("Search the library by title or number").fill("panama")
    suggestion = page.get_by_role("button", name="Panama meeting minutes")
    expect(suggestion).to_be_visible()
    expect(page.get_by_text("Panama disposal memo")).to_have_count(0)
    suggestion.click()
    expect(page.locator(f'input[name="minutes_document_id"][value="{ids["minutes"]}"]')) \
        .to_be_checked()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(server.url("/groups/maintenance/meetings"))
    with server.app.app_context():
        found = meetings.upcoming(db.session.get(Group, ids["group"]))
        assert found[0].minutes_document_id == ids["minutes"]
        db.session.remove()
    console.assert_clean()
