"""Searching posts: snippets, filters, the unified page, and nothing the reader can't open."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from pen import search
from pen.extensions import db
from pen.forums import indexing, moderation, service
from pen.forums.models import Post


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="h6 mb-1"><a href="/forums/p/\d+">([^<]+)</a>', html)


@pytest.fixture
def forum(category, other_category, author, member, moderator, admin, indexed):
    """A few topics in two categories; one solved, one in a group, one hidden reply."""
    oil = service.create_topic(author, category, "Transformer oil sampling",
                               "How do we sample **transformer oil** safely?")
    answer = service.reply(member, oil, "Use sealed glass vials and note the serial number.")
    service.accept_answer(author, oil, answer)
    inventory = service.create_topic(member, other_category, "National inventory in Panama",
                                     "We counted 4,200 transformers in the inventory.")
    secret = service.create_topic(admin, category, "Group transformer plan",
                                  "Confidential transformer budget", group_id=3)
    spam = service.reply(member, inventory, "Cheap transformer disposal, call now")
    moderation.set_hidden(moderator, spam, True, "spam")
    indexed()
    return {"oil": oil, "answer": answer, "inventory": inventory, "secret": secret, "spam": spam}


def test_full_text_with_highlighted_snippets(forum, member, client_as):
    html = client_as(member).get("/forums/search?q=vials").get_data(as_text=True)
    assert titles(html) == ["Transformer oil sampling"]
    assert "<mark>vials</mark>" in html


def test_snippets_show_the_words_a_reader_sees_not_the_markdown(forum, member, client_as,
                                                               indexed):
    service.reply(member, forum["inventory"], "See [the **national** plan](https://example.org/plan.pdf)"
                  " and\n\n| Owner | Equipment |\n|---|---|\n| Utility | capacitors |")
    indexed()
    html = client_as(member).get("/forums/search?q=capacitors").get_data(as_text=True)
    assert "<mark>capacitors</mark>" in html
    assert "the national plan" in html and "Utility" in html
    assert "**" not in html and "|---|" not in html and "example.org/plan.pdf" not in html


def test_hidden_deleted_and_group_posts_leave_no_trace(forum, make_user, client_as):
    html = client_as(make_user()).get("/forums/search?q=transformer").get_data(as_text=True)
    assert "Confidential" not in html and "Cheap transformer" not in html
    assert "Group transformer plan" not in html
    assert "2 posts" in html  # the oil question, the inventory; not the group's, not hidden
    results = search.search("forum_post", make_user(), "budget")
    assert results.total == 0 and not results.hits


def test_moderators_find_hidden_posts(forum, moderator):
    assert search.search("forum_post", moderator, "cheap").total == 1


def test_filters_category_author_solved(forum, member, author, client_as, category):
    client = client_as(member)
    html = client.get(f"/forums/search?q=transformer&category={category.id}").get_data(
        as_text=True)
    assert set(titles(html)) == {"Transformer oil sampling"}
    html = client.get("/forums/search?q=&author=Gonz").get_data(as_text=True)
    assert set(titles(html)) == {"Transformer oil sampling"}
    html = client.get("/forums/search?solved=yes").get_data(as_text=True)
    assert set(titles(html)) == {"Transformer oil sampling"}
    html = client.get("/forums/search?solved=no").get_data(as_text=True)
    assert set(titles(html)) == {"National inventory in Panama"}
    html = client.get("/forums/search?author=Nobody+Such").get_data(as_text=True)
    assert "No member has" in html and titles(html) == []


def test_date_range_filter(forum, member, client_as, indexed):
    old = datetime(2010, 12, 3, 9, 0, tzinfo=UTC)
    db.session.execute(update(Post).where(Post.id == forum["answer"].id).values(created_at=old))
    search.enqueue("forum_post", forum["answer"].id)
    db.session.commit()
    indexed()
    client = client_as(member)
    html = client.get("/forums/search?from=2010-11-15&to=2011-01-10").get_data(as_text=True)
    assert titles(html) == ["Transformer oil sampling"] and "1 post" in html
    html = client.get("/forums/search?from=banana").get_data(as_text=True)
    assert "is not a date" in html


def test_date_terms_cover_the_range_with_few_values():
    terms = indexing.date_terms(date(2010, 11, 15), date(2012, 2, 2))
    assert terms[:2] == ["d2010-11-15", "d2010-11-16"] and "m2010-12" in terms
    assert "y2011" in terms and "m2012-01" in terms and terms[-1] == "d2012-02-02"
    assert len(terms) < 40


def test_unified_search_shows_forum_hits(forum, member, client_as):
    html = client_as(member).get("/search?q=vials").get_data(as_text=True)
    assert "Forums" in html and "Transformer oil sampling" in html
    assert "/forums/search?q=vials" in html


def test_moving_a_topic_into_sight_updates_the_index(forum, admin, indexed):
    assert search.search("forum_post", admin, "budget").total == 1
    service.delete_post(admin, db.session.get(Post, forum["secret"].last_post_id))
    indexed()
    assert search.search("forum_post", admin, "budget").total == 1  # admins moderate


def test_group_members_find_their_groups_posts_and_nobody_else(forum, member, make_user):
    from pen.groups.models import Group, GroupMembership

    db.session.add(Group(id=3, slug="group-3", name="Group 3"))
    db.session.flush()
    db.session.add(GroupMembership(group_id=3, user_id=member.id))
    db.session.commit()
    assert search.search("forum_post", member, "budget").total == 1
    outsider = search.search("forum_post", make_user(), "budget")
    assert outsider.total == 0 and outsider.facets.get("category", []) == []


def test_newest_first_on_a_broad_query_lists_only_visible_posts(forum, make_user, client_as):
    reader = make_user()
    for order in ("newest", "oldest"):
        results = search.search("forum_post", reader, "transformer",
                                sort="date", reverse=order == "newest")
        assert forum["spam"].id not in [hit.id for hit in results.hits]
        assert results.total == len(results.hits) == 2
        html = client_as(reader).get(f"/forums/search?q=transformer&sort={order}").get_data(
            as_text=True)
        assert "Confidential" not in html and "Cheap transformer" not in html
        expected = ["National inventory in Panama", "Transformer oil sampling"]
        assert titles(html) == (expected if order == "newest" else expected[::-1])
