"""The bell: its count as JSON for polling, the latest notifications opened in place
and marked read, and excerpts as plain words (no Markdown)."""

import re

from sqlalchemy import select

from pen.extensions import db
from pen.forums import service
from pen.forums.models import Post
from pen.notifications import service as notes
from pen.notifications.models import Notification
from tests.conftest import statements_of_get


def test_without_script_the_bell_is_a_link_to_the_page(member_client):
    html = member_client.get("/forums/").get_data(as_text=True)
    assert re.search(r'<a class="[^"]*pen-bell" href="/notifications/"', html)
    assert "js/bell" in html and 'id="pen-bell-panel"' in html


def test_the_count_is_json_and_cheap_to_poll(topic, member, author, client_as):
    client = client_as(author)
    idle = statements_of_get(client, "/notifications/count")
    assert client.get("/notifications/count").get_json() == {"unread": 0}
    service.reply(member, topic, "First answer")
    service.reply(member, topic, "Second answer")
    busy = statements_of_get(client, "/notifications/count")
    response = client.get("/notifications/count")
    assert response.get_json() == {"unread": 2}
    assert response.headers["Cache-Control"] == "private, no-store"
    # Measured: 1 statement loads the signed-in member (session, account, roles, site
    # setting, groups, and the types of the unread notifications, visible or not); the
    # count adds nothing when nothing is unread, 1 with news (the visible ones of those
    # types). A poll writes nothing.
    assert len(idle) == 1 and len(busy) == 2, (idle, busy)
    assert not [s for s in idle + busy if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_excerpts_are_plain_words_without_markdown(topic, member, author, client_as):
    service.reply(member, topic, "We use **Clor-N-Oil** and [L2000](https://example.org) "
                                 "kits <b>too</b>.")
    stored = db.session.scalar(select(Notification.excerpt).where(
        Notification.user_id == author.id))
    assert stored == "We use Clor-N-Oil and L2000 kits too."
    for url in ("/notifications/latest", "/notifications/"):
        html = client_as(author).get(url).get_data(as_text=True)
        assert "We use Clor-N-Oil and L2000 kits too." in html and "**" not in html


def test_the_panel_shows_the_latest_and_marks_them_read(topic, member, author, client_as):
    service.reply(member, topic, "First answer")
    client = client_as(author)
    html = client.get("/notifications/latest").get_data(as_text=True)
    assert topic.title in html and 'href="/notifications/"' in html
    ids = [int(i) for i in re.findall(r'name="id" value="(\d+)"', html)]
    assert len(ids) == 1 and notes.unread_count(author) == 1
    response = client.post("/notifications/seen", data={"id": ids},
                           headers={"Accept": "application/json"})
    assert response.get_json() == {"unread": 0}
    again = client.get("/notifications/latest").get_data(as_text=True)
    assert topic.title in again and "pen-bell-seen" not in again  # shown, nothing to mark


def test_others_notifications_are_not_marked_by_the_panel(topic, member, author, client_as):
    service.reply(member, topic, "Answer")
    note = db.session.scalar(select(Notification.id).where(Notification.user_id == author.id))
    response = client_as(member).post("/notifications/seen", data={"id": [note]})
    assert response.status_code == 302
    assert notes.unread_count(author) == 1


def test_the_panel_leaves_out_what_the_member_can_no_longer_see(topic, member, author,
                                                                moderator, client_as):
    service.reply(member, topic, "Answer")
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))
    service.delete_post(moderator, first)
    html = client_as(author).get("/notifications/latest").get_data(as_text=True)
    assert topic.title not in html and "Nothing new." in html
