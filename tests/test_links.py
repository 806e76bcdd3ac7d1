"""Links asked of the router once (``pen/links.py``): each is the link ``url_for``
gives, character for character, and a listing's page links keep its filters."""

import re

from flask import url_for

from pen.links import id_link, page_link


def test_an_id_pattern_gives_the_router_s_link_for_every_id(app):
    with app.test_request_context():
        pattern = id_link("forums.reply", "quote", topic_id=7)
        for post_id in (1, 42, 123456):
            assert pattern % post_id == url_for("forums.reply", topic_id=7, quote=post_id)


def test_a_percent_sign_in_the_other_values_stays_as_the_router_wrote_it(app):
    with app.test_request_context():
        values = {"q": "50% less oil & more", "show": "all"}
        assert page_link("members.index", values) % 3 == url_for(
            "members.index", **values, page=3)


def test_the_page_keeps_its_place_among_the_filters(app):
    with app.test_request_context():
        values = {"q": "oil", "page": "2", "lang": "fr"}
        link = page_link("library.index", values)
        assert link % 5 == url_for("library.index", q="oil", page=5, lang="fr")
        assert re.search(r"\?q=oil&page=5&lang=fr$", link % 5)


def test_a_listing_s_page_links_keep_its_filters(admin_client, make_user):
    for number in range(55):
        make_user(email=f"bulk{number:02d}@example.org", name=f"Bulk {number:02d}")
    html = admin_client.get("/admin/users?q=Bulk&page=2&status=").get_data(as_text=True)
    links = re.findall(r'<a class="page-link"(?: rel="\w+")? href="([^"]+)"', html)
    assert links == ["/admin/users?q=Bulk&amp;page=1&amp;status="] * 2  # "Previous", "1"
