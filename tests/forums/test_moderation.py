"""Moderation: pin, lock, move, hide, split, reports; refused to members; all audited."""

import pytest
from sqlalchemy import select

from pen.audit import AuditEntry
from pen.extensions import db
from pen.forums import moderation, service
from pen.forums.models import Post, Report, Topic


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_pin_and_lock_through_the_pages(topic, moderator, client_as):
    client = client_as(moderator)
    assert client.post(f"/forums/t/{topic.id}/pin", data={"pinned": "1"}).status_code == 302
    assert client.post(f"/forums/t/{topic.id}/lock", data={"locked": "1"}).status_code == 302
    db.session.refresh(topic)
    assert topic.pinned and topic.locked
    assert {"forum.topic.pin", "forum.topic.lock"} <= set(actions())


@pytest.mark.parametrize("url,data", [
    ("pin", {"pinned": "1"}), ("lock", {"locked": "1"}), ("move", {"category": "1"})])
def test_members_may_not_moderate(topic, member, client_as, url, data):
    assert client_as(member).post(f"/forums/t/{topic.id}/{url}", data=data).status_code == 403


def test_move_updates_both_categories(topic, category, other_category, moderator, client_as):
    client = client_as(moderator)
    response = client.post(f"/forums/t/{topic.id}/move", data={"category": other_category.id})
    assert response.status_code == 302
    db.session.refresh(category)
    db.session.refresh(other_category)
    assert (category.topic_count, other_category.topic_count) == (0, 1)
    assert other_category.last_topic_id == topic.id and category.last_topic_id is None
    assert "forum.topic.move" in actions()


def test_hide_and_show_a_post(topic, member, moderator):
    reply = service.reply(member, topic, "Off-topic advertising")
    moderation.set_hidden(moderator, reply, True, "advertising")
    db.session.refresh(topic)
    assert topic.post_count == 1
    moderation.set_hidden(moderator, reply, False)
    db.session.refresh(topic)
    assert topic.post_count == 2
    assert actions()[-2:] == ["forum.post.hide", "forum.post.unhide"]


def test_split_a_reply_into_its_own_topic(topic, member, moderator, client_as, other_category):
    reply = service.reply(member, topic, "Separate question: what about capacitors?")
    service.reply(member, topic, "And a normal reply")
    client = client_as(moderator)
    response = client.post(f"/forums/p/{reply.id}/split", data={
        "title": "PCB capacitors", "category": other_category.id})
    assert response.status_code == 302
    db.session.expire_all()
    new = db.session.scalar(select(Topic).where(Topic.title == "PCB capacitors"))
    moved = db.session.get(Post, reply.id)
    assert moved.topic_id == new.id and moved.number == 1 and new.post_count == 1
    assert topic.post_count == 2 and new.category_id == other_category.id
    assert "forum.topic.split" in actions()
    service.reply(member, new, "Replying in the new topic")  # numbering carries on


def test_split_refused_to_members(topic, member, client_as):
    reply = service.reply(member, topic, "Mine")
    assert client_as(member).post(f"/forums/p/{reply.id}/split",
                                  data={"title": "Nope"}).status_code == 403


def test_report_queue(topic, member, moderator, author, client_as):
    reply = service.reply(author, topic, "Contact me at a dubious address")
    response = client_as(member).post(f"/forums/p/{reply.id}/report",
                                      data={"reason": "Looks like spam"})
    assert response.status_code == 302
    mod = client_as(moderator)
    queue = mod.get("/forums/reports").get_data(as_text=True)
    assert "Looks like spam" in queue and "dubious address" in queue
    entry = db.session.scalar(select(Report))
    assert mod.post(f"/forums/reports/{entry.id}?hide=1",
                    data={"outcome": "resolved"}).status_code == 302
    db.session.expire_all()
    assert entry.status == "resolved" and db.session.get(Post, reply.id).hidden_at is not None
    assert {"forum.post.report", "forum.report.resolved", "forum.post.hide"} <= set(actions())
    assert "Looks like spam" not in mod.get("/forums/reports").get_data(as_text=True)


def test_report_needs_a_reason_and_members_cannot_see_the_queue(topic, member, client_as):
    client = client_as(member)
    response = client.post(f"/forums/p/{topic.last_post_id}/report", data={"reason": ""})
    assert response.status_code == 400 and 'id="reason-error"' in response.get_data(as_text=True)
    assert client.get("/forums/reports").status_code == 403
    entry = moderation.report(member, db.session.get(Post, topic.last_post_id), "Duplicate")
    assert client.post(f"/forums/reports/{entry.id}", data={"outcome": "dismissed"}
                       ).status_code == 403


def test_admins_manage_categories(admin, member, client_as):
    client = client_as(admin)
    response = client.post("/forums/categories", data={
        "name": "Environmentally sound disposal", "description": "Incineration, *dechlorination*",
        "position": "3"})
    assert response.status_code == 302
    html = client_as(member).get("/forums/").get_data(as_text=True)
    assert "Environmentally sound disposal" in html and "<em>dechlorination</em>" in html
    assert client_as(member).get("/forums/categories").status_code == 403
    assert "forum.category.create" in actions()
