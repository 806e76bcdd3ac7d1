"""Bookmark reminders: a day on a bookmark, a notification from the worker that day
(while the member may still see it), nothing before, nothing twice."""

from datetime import timedelta

from sqlalchemy import select

from pen.extensions import db
from pen.forums import moderation, reminders, service
from pen.forums.models import Post, TopicBookmark
from pen.notifications.models import Notification
from pen.types import utcnow


def reminded(user) -> list[str]:
    return list(db.session.scalars(select(Notification.title).where(
        Notification.user_id == user.id, Notification.kind == reminders.KIND)))


def test_a_reminder_comes_on_its_day_once(topic, member, client_as):
    client = client_as(member)
    client.post(f"/forums/t/{topic.id}/bookmark")
    today = utcnow().date()
    response = client.post("/forums/bookmarks/remind", data={
        "of": "topics", "id": topic.id, "remind_on": (today + timedelta(days=2)).isoformat()})
    assert response.status_code == 302
    html = client.get("/forums/bookmarks").get_data(as_text=True)
    assert "Reminder on" in html and "We will remind you on" in html
    assert not reminders.send_due()  # not yet: falsy
    db.session.execute(TopicBookmark.__table__.update().values(remind_at=utcnow()))
    db.session.commit()
    assert reminders.send_due() == 1
    assert reminded(member) == [topic.title]
    assert not reminders.send_due()  # sent once
    assert "Bookmark reminder" in client.get("/notifications/").get_data(as_text=True)


def test_a_post_bookmark_reminds_too(topic, author, member, client_as):
    reply = service.reply(author, topic, "Use the field kit")
    client = client_as(member)
    client.post(f"/forums/p/{reply.id}/bookmark")
    client.post("/forums/bookmarks/remind", data={
        "of": "posts", "id": reply.id, "remind_on": utcnow().date().isoformat()})
    assert reminders.send_due() == 1 and reminded(member) == [topic.title]


def test_no_reminder_of_what_one_can_no_longer_see(topic, author, member, moderator,
                                                  client_as):
    reply = service.reply(author, topic, "Soon hidden")
    client = client_as(member)
    client.post(f"/forums/p/{reply.id}/bookmark")
    client.post("/forums/bookmarks/remind", data={
        "of": "posts", "id": reply.id, "remind_on": utcnow().date().isoformat()})
    moderation.set_hidden(moderator, db.session.get(Post, reply.id), True, "off topic")
    assert reminders.send_due() == 0 and reminded(member) == []
    assert not reminders.send_due()  # the date was cleared: idle


def test_bad_days_and_others_bookmarks_are_refused(topic, member, author, client_as):
    client = client_as(member)
    client.post(f"/forums/t/{topic.id}/bookmark")
    yesterday = (utcnow().date() - timedelta(days=1)).isoformat()
    for day, reason in ((yesterday, "from today on"), ("next week", "year-month-day")):
        response = client.post("/forums/bookmarks/remind", data={
            "of": "topics", "id": topic.id, "remind_on": day}, follow_redirects=True)
        assert reason in response.get_data(as_text=True)
    assert db.session.scalar(select(TopicBookmark.remind_at)) is None
    response = client_as(author).post("/forums/bookmarks/remind", data={
        "of": "topics", "id": topic.id, "remind_on": utcnow().date().isoformat()})
    assert response.status_code == 404  # not a bookmark of theirs
