"""The header's main links (``pen/layout.py``): drawn once per language, section and
extra link, and each reader still gets their own."""

import re

from pen import layout

NAV = re.compile(r'<ul class="navbar-nav flex-row pen-nav-links pen-wide">(.*?)</ul>', re.S)


def main_links(client, url: str) -> list[tuple[str, str, bool]]:
    """(link, label, is current) of the header's main links on ``url``."""
    response = client.get(url)
    assert response.status_code == 200
    nav = NAV.search(response.get_data(as_text=True)).group(1)
    return [(href, label, "aria-current" in attrs) for attrs, href, label in
            re.findall(r'<a class="nav-link([^"]*"[^>]*?) href="([^"]+)">([^<]+)</a>', nav)]


def current(links) -> list[str]:
    """The labels marked as the current section."""
    return [label for _href, label, is_current in links if is_current]


def test_each_page_marks_its_own_section(member_client):
    assert current(main_links(member_client, "/forums/")) == ["Forums"]
    assert current(main_links(member_client, "/forums/latest")) == ["Forums"]
    assert current(main_links(member_client, "/members/")) == ["Members"]
    assert current(main_links(member_client, "/")) == ["Home"]
    assert current(main_links(member_client, "/notifications/")) == []


def test_administration_shows_to_administrators_only(member, admin, client_as):
    as_admin = main_links(client_as(admin), "/forums/")
    assert ("/admin/users", "Administration", False) in as_admin
    as_member = main_links(client_as(member), "/forums/")
    assert [label for _h, label, _c in as_member] == [
        "Home", "Members", "Forums", "Groups", "Library", "Awards", "Events"]
    assert current(main_links(client_as(admin), "/admin/users")) == ["Administration"]


def test_a_reader_of_another_language_gets_the_links_in_theirs(member, make_user, client_as):
    english = client_as(member)
    assert ("/members/", "Members", False) in main_links(english, "/forums/")
    french = client_as(make_user())
    french.post("/members/language", data={"locale": "fr"})
    assert ("/members/", "Membres", False) in main_links(french, "/forums/")
    assert ("/members/", "Members", False) in main_links(english, "/forums/")


def test_sections_follow_the_endpoints():
    assert layout.section("home.index") == "home"
    assert layout.section("home.unified_search") is None
    assert layout.section("home.admin_dashboard") == "admin"
    assert layout.section("application_review.queue") == "applications"
    assert layout.section(None) is None
