"""A group's forum: for its members only, everywhere (pages, lists, search, notices)."""

import pytest
from sqlalchemy import select

from pen import search
from pen.extensions import db
from pen.forums import service as forums
from pen.forums.models import Topic
from pen.groups import membership
from pen.notifications.models import Notification
from tests.conftest import statements_of_get


@pytest.fixture
def joined(make_group, member, coordinator):
    """An open group the member joined, with a discussion the coordinator started."""
    group = make_group(slug="maintenance", join_policy="open")
    membership.join(member, group)
    return group


@pytest.fixture
def group_topic(joined, coordinator, category):
    """A discussion of the group."""
    return forums.create_topic(coordinator, category, "Retrofilling transformers in Panama",
                               "Notes from the Panama City meeting", group_id=joined.id)


def test_members_see_the_discussions_on_the_group_page(joined, group_topic, member,
                                                      client_as):
    html = client_as(member).get(f"/groups/{joined.slug}").get_data(as_text=True)
    assert "Retrofilling transformers in Panama" in html and "Start a discussion" in html
    topics = client_as(member).get(f"/forums/g/{joined.slug}").get_data(as_text=True)
    assert "Retrofilling transformers in Panama" in topics


def test_the_group_s_discussions_are_the_forums_topic_table_at_a_fixed_cost(
        joined, group_topic, coordinator, category, member, client_as):
    client = client_as(member)
    url = f"/forums/g/{joined.slug}"
    html = client.get(url).get_data(as_text=True)
    row = html[html.index('<tr class="pen-topic-row">'):]
    assert f'href="/forums/t/{group_topic.id}"' in row and ">new</a>" in row
    assert f'href="/forums/c/{category.slug}"' in row and 'class="text-end pen-views"' in row
    client.get(f"/forums/t/{group_topic.id}")  # read: no longer new
    assert ">new</a>" not in client.get(url).get_data(as_text=True)

    one = len(statements_of_get(client, url))
    for number in range(4):
        forums.create_topic(coordinator, category, f"Topic {number}", "Notes",
                            group_id=joined.id)
    assert len(statements_of_get(client, url)) == one


def test_outsiders_see_nothing_of_the_group_forum(joined, group_topic, make_user,
                                                  client_as, category):
    outsider = client_as(make_user())
    assert "Retrofilling" not in outsider.get(f"/groups/{joined.slug}").get_data(as_text=True)
    assert outsider.get(f"/forums/g/{joined.slug}").status_code == 404
    assert outsider.get(f"/forums/t/{group_topic.id}").status_code == 404
    assert "Retrofilling" not in outsider.get(f"/forums/c/{category.slug}").get_data(
        as_text=True)
    assert outsider.get(f"/forums/g/{joined.slug}/new").status_code == 403


def test_member_starts_a_group_discussion(joined, member, client_as, category):
    client = client_as(member)
    response = client.post(f"/forums/g/{joined.slug}/new", data={
        "category_id": category.id, "title": "Oil sampling kits", "body": "Which ones?"})
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic).where(Topic.title == "Oil sampling kits"))
    assert topic.group_id == joined.id


def test_posting_in_a_group_forum_after_removal_is_refused(joined, group_topic, member,
                                                          coordinator, client_as, category):
    client = client_as(member)
    assert client.get(f"/forums/t/{group_topic.id}").status_code == 200
    membership.remove_member(coordinator, joined, member)
    reply = client.post(f"/forums/t/{group_topic.id}/reply", data={"body": "Still here?"})
    assert reply.status_code == 404  # the topic is no longer theirs to see at all
    new = client.post(f"/forums/g/{joined.slug}/new", data={
        "category_id": category.id, "title": "Sneaking back", "body": "Hello"})
    assert new.status_code == 403  # the group is listed: seen, but not theirs to write in
    assert db.session.scalar(select(Topic).where(Topic.title == "Sneaking back")) is None


def test_removed_member_of_an_unlisted_group_gets_404_everywhere(make_group, member,
                                                                coordinator, client_as,
                                                                category):
    group = make_group(slug="quiet", visibility="unlisted", join_policy="invitation")
    invitation = membership.invite(coordinator, group, member)
    membership.answer_invitation(member, invitation, True)
    topic = forums.create_topic(coordinator, category, "Quiet plan", "x", group_id=group.id)
    membership.remove_member(coordinator, group, member)
    client = client_as(member)
    assert client.get("/groups/quiet").status_code == 404
    assert client.post("/forums/g/quiet/new", data={"title": "x"}).status_code == 404
    assert client.get(f"/forums/t/{topic.id}").status_code == 404


def test_search_finds_group_posts_for_members_only(joined, group_topic, member, make_user):
    search.drain()
    db.session.commit()
    assert search.search("forum_post", member, "retrofilling").total == 1
    outsider = search.search("forum_post", make_user(), "retrofilling")
    assert outsider.total == 0 and outsider.facets.get("category", []) == []


def test_notifications_about_group_topics_fade_after_leaving(joined, group_topic, member,
                                                            coordinator, client_as):
    forums.reply(coordinator, group_topic, "@NguyenThiLan please check the figures")
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == member.id, Notification.kind.like("forum.%")))
    assert note is not None
    membership.leave(member, joined)
    page = client_as(member).get("/notifications/").get_data(as_text=True)
    assert "Retrofilling" not in page
