"""Topic lists people scan: views counted in batches, unread counts, "Latest", "Unread",
"New" and "My topics" across categories and per category, tags and their page, and a
cost that does not grow with the number of topics."""

import re
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from pen.errors import Forbidden, ValidationError
from pen.extensions import db
from pen.forums import reactions, service, tags, topic_views
from pen.forums.models import Tag, Topic, TopicViewBatch
from tests.conftest import statements_of_get


def page(response) -> str:
    return response.get_data(as_text=True)


def titles(html: str) -> list[str]:
    return re.findall(r'<a class="[^"]*" href="/forums/t/\d+">([^<]+)</a>', html)




def test_views_are_counted_in_memory_written_in_one_batch_and_folded(topic, member,
                                                                     client_as):
    client = client_as(member)
    current_app.extensions["pen.forum_topic_views"].written_at = time.monotonic()
    for _ in range(3):
        sql = statements_of_get(client, f"/forums/t/{topic.id}")
        assert not [s for s in sql if "view" in s.lower() and "INSERT" in s.upper()]
    assert db.session.scalar(select(TopicViewBatch)) is None  # nothing written per view
    assert topic_views.write_buffer() == 3
    assert len(db.session.scalars(select(TopicViewBatch)).all()) == 1  # one row, one batch
    assert topic_views.fold() == 3
    assert not topic_views.fold()  # idle: falsy
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).view_count == 3
    html = page(client.get(f"/forums/c/{topic.category.slug}"))
    assert '<td class="text-end pen-views">3</td>' in html


def test_lists_across_categories_follow_the_member(category, other_category, author, member,
                                                   client_as, make_user, admin):
    read = service.create_topic(author, category, "Read topic", "Q")
    started = service.create_topic(member, other_category, "Started by me", "Q")
    replied = service.create_topic(author, other_category, "Replied by me", "Q")
    service.reply(member, replied, "An answer")
    service.create_topic(admin, category, "Group topic", "Q", group_id=7)
    client = client_as(member)
    for opened in (read, started, replied):
        client.get(f"/forums/t/{opened.id}")
    service.reply(author, read, "News since")
    latest = titles(page(client.get("/forums/latest")))
    assert latest == ["Read topic", "Replied by me", "Started by me"]  # no group topic
    assert titles(page(client.get("/forums/unread"))) == ["Read topic"]
    assert "1 unread" in page(client.get("/forums/unread"))
    assert titles(page(client.get("/forums/new"))) == []  # opened them all
    assert set(titles(page(client.get("/forums/mine")))) == {"Started by me", "Replied by me"}
    stranger = client_as(make_user())
    assert set(titles(page(stranger.get("/forums/new")))) == {"Read topic", "Replied by me",
                                                              "Started by me"}
    per_category = page(client.get(f"/forums/c/{other_category.slug}?show=mine"))
    assert set(titles(per_category)) == {"Started by me", "Replied by me"}
    assert titles(page(stranger.get(f"/forums/c/{category.slug}?show=new"))) == ["Read topic"]


def test_moderators_create_tags_authors_choose_and_the_tag_page_lists(category, author,
                                                                      moderator, member,
                                                                      client_as, admin):
    response = client_as(member).post("/forums/tags", data={"name": "Oil"})
    assert response.status_code == 403
    mod = client_as(moderator)
    assert mod.post("/forums/tags", data={"name": "Transformer oil"}).status_code == 302
    tag = db.session.scalar(select(Tag))
    response = client_as(author).post(f"/forums/c/{category.slug}/new", data={
        "title": "Sampling oil", "body": "How?", "tags": [str(tag.id)], "submit": "1"})
    assert response.status_code == 302
    service.create_topic(admin, category, "Group oil", "Q", group_id=7)
    tags.set_for_topic(admin, db.session.scalar(select(Topic).where(
        Topic.title == "Group oil")), [tag.id])
    html = page(client_as(member).get(f"/forums/tags/{tag.slug}"))
    assert titles(html) == ["Sampling oil"]  # the group's topic stays out
    assert "Transformer oil" in page(client_as(member).get(f"/forums/c/{category.slug}"))
    try:
        tags.set_for_topic(member, db.session.scalar(select(Topic)), [tag.id])
    except Forbidden:
        pass
    else:
        raise AssertionError("a member tagged someone else's topic")


def test_a_tag_name_with_markup_is_refused_with_the_reason(moderator, client_as, category,
                                                           author, member):
    response = client_as(moderator).post("/forums/tags",
                                         data={"name": '<img src=x onerror="alert(1)">'})
    assert response.status_code == 400
    assert "no markup" in page(response) and db.session.scalar(select(Tag)) is None
    try:
        tags.create(moderator, "Oil & <b>gas</b>")
    except ValidationError as exc:
        assert "no markup" in exc.message
    # and a name that got in some other way is printed as text
    db.session.add(Tag(name="<b>bold</b>", slug="bold"))
    db.session.commit()
    topic = service.create_topic(author, category, "Tagged", "Q")
    tags.set_for_topic(author, topic, [db.session.scalar(select(Tag.id))])
    for url in ("/forums/tags", "/forums/tags/bold", "/forums/latest", f"/forums/t/{topic.id}"):
        html = page(client_as(member).get(url))
        assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html, url


def _topics(n, category, author, posters, tag):
    for i in range(n):
        topic = service.create_topic(author, category, f"Topic {i}", "Q")
        post = service.reply(posters[i % len(posters)], topic, "A")
        reactions.toggle(author, post, "thanks")
        tags.set_for_topic(author, topic, [tag.id])


def test_topic_lists_cost_the_same_for_few_or_many_topics(category, author, moderator,
                                                          member, make_user, client_as):
    tag = tags.create(moderator, "Inventories")
    posters = [make_user() for _ in range(4)]
    client = client_as(member)
    urls = (f"/forums/c/{category.slug}", "/forums/latest", "/forums/unread",
            f"/forums/tags/{tag.slug}", "/forums/mine")
    _topics(2, category, author, posters, tag)
    few = {url: len(statements_of_get(client, url)) for url in urls}
    _topics(6, category, author, posters, tag)
    many = {url: len(statements_of_get(client, url)) for url in urls}
    assert many == few, (few, many)
    assert titles(page(client.get("/forums/latest"))).__len__() == 8


def test_authors_and_moderators_change_a_topic_s_tags(topic, author, moderator, member,
                                                     client_as):
    oil, kits = tags.create(moderator, "Oil"), tags.create(moderator, "Kits")
    html = page(client_as(author).get(f"/forums/t/{topic.id}"))
    assert "Change tags" in html
    assert client_as(author).post(f"/forums/t/{topic.id}/tags",
                                  data={"tags": [oil.id, kits.id]}).status_code == 302
    assert [t.name for t in tags.by_topic([topic.id])[topic.id]] == ["Kits", "Oil"]
    assert "Change tags" not in page(client_as(member).get(f"/forums/t/{topic.id}"))
    client_as(member).post(f"/forums/t/{topic.id}/tags", data={"tags": []})
    assert len(tags.by_topic([topic.id])[topic.id]) == 2  # refused: not theirs
    client_as(moderator).post(f"/forums/t/{topic.id}/tags", data={"tags": [kits.id]})
    assert [t.name for t in tags.by_topic([topic.id])[topic.id]] == ["Kits"]


def test_the_new_window_is_a_setting(category, author, make_user, client_as):
    """PEN_FORUM_NEW_DAYS: a topic started 10 days ago is "New" with the default of 14
    days, and no longer with a window of 7."""
    topic = service.create_topic(author, category, "Ten days old", "Q")
    topic.created_at = topic.created_at - timedelta(days=10)
    db.session.commit()
    reader = client_as(make_user())
    assert titles(page(reader.get("/forums/new"))) == ["Ten days old"]
    current_app.config["FORUM_NEW_DAYS"] = 7
    assert titles(page(reader.get("/forums/new"))) == []
    current_app.config["FORUM_NEW_DAYS"] = 11
    assert titles(page(reader.get("/forums/new"))) == ["Ten days old"]
