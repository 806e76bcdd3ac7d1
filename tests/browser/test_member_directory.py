"""A member finds experts in the directory, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from pen import search
from pen.auth import service as accounts
from pen.extensions import db
from pen.members import service
from pen.members.models import ExpertiseArea
from tests.browser.test_login_flow import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def directory(live_server):
    """Two experts in the directory, indexed; returns the live server."""
    with live_server.app.app_context():
        inventories = ExpertiseArea(name="PCB inventories")
        db.session.add(inventories)
        db.session.flush()
        for name, country in (("Moussa Ouédraogo", "BF"), ("Ingrid Larsen", "NO")):
            user = accounts.create_user(f"{name.split()[0].lower()}@example.org", name, None)
            changes = service.ProfileChanges(display_name=name, country=country,
                                             expertise_ids=[inventories.id])
            service.update_profile(user, service.profile_of(user), changes)
        search.drain()
        db.session.commit()
        db.session.remove()
    return live_server


def test_find_a_member_by_accent_free_name(page, directory, console):
    sign_in(page, directory.member_email, directory.password)
    page.get_by_role("link", name="Members").click()
    page.get_by_label("Search by name, organisation, country, expertise…").fill("ouedraogo")
    page.get_by_role("button", name="Search").click()
    results = page.locator(".pen-results h3 a")
    expect(results).to_have_count(1)
    expect(results.first).to_have_text("Moussa Ouédraogo")
    results.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Moussa Ouédraogo")
    console.assert_clean()


def test_find_members_by_facet(page, directory, console):
    sign_in(page, directory.member_email, directory.password)
    page.goto(directory.url("/members/"))
    page.get_by_role("complementary", name="Filters").get_by_role(
        "link", name="Western Europe and Others").click()
    expect(page).to_have_url(re.compile(r"region=western-europe-others"))
    results = page.locator(".pen-results h3 a")
    expect(results).to_have_count(1)
    expect(results.first).to_have_text("Ingrid Larsen")
    page.get_by_role("link", name=re.compile(r"Region: Western Europe and Others")).click()
    expect(page.locator(".pen-results h3 a")).to_have_count(3)
    console.assert_clean()
