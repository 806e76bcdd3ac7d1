"""Bookmarks: topics and posts kept for later, listed while the member may see them."""

from sqlalchemy import select

from pen.extensions import db
from pen.forums import moderation, service
from pen.forums.models import Post


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_member_bookmarks_a_topic_and_a_post_and_finds_them(topic, author, member,
                                                              client_as):
    reply = service.reply(author, topic, "Use the Clor-N-Oil kit")
    client = client_as(member)
    assert client.post(f"/forums/t/{topic.id}/bookmark").status_code == 302
    assert client.post(f"/forums/p/{reply.id}/bookmark").status_code == 302
    html = page(client.get(f"/forums/t/{topic.id}"))
    assert html.count('aria-pressed="true">Bookmarked</button>') == 2
    assert topic.title in page(client.get("/forums/bookmarks"))
    posts = page(client.get("/forums/bookmarks?of=posts"))
    assert f"/forums/p/{reply.id}" in posts and "#2" in posts
    client.post(f"/forums/t/{topic.id}/bookmark")  # again: removed
    assert "Nothing bookmarked yet" in page(client.get("/forums/bookmarks"))


def test_bookmarks_are_private(topic, member, make_user, client_as):
    client_as(member).post(f"/forums/t/{topic.id}/bookmark")
    assert "Nothing bookmarked yet" in page(client_as(make_user()).get("/forums/bookmarks"))


def test_what_one_cannot_see_cannot_be_bookmarked(category, admin, member, client_as):
    secret = service.create_topic(admin, category, "Group work plan", "Internal", group_id=7)
    first = db.session.scalar(select(Post).where(Post.topic_id == secret.id))
    client = client_as(member)
    assert client.post(f"/forums/t/{secret.id}/bookmark").status_code == 404
    assert client.post(f"/forums/p/{first.id}/bookmark").status_code == 404
    assert "Group work plan" not in page(client.get("/forums/bookmarks"))


def test_a_bookmark_of_a_post_later_hidden_leaves_the_list(topic, author, member, moderator,
                                                           client_as):
    reply = service.reply(author, topic, "Soon hidden")
    client = client_as(member)
    client.post(f"/forums/p/{reply.id}/bookmark")
    moderation.set_hidden(moderator, reply, True, "off topic")
    assert f"/forums/p/{reply.id}" not in page(client.get("/forums/bookmarks?of=posts"))
