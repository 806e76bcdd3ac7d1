"""Deleting a topic, a reply or a file asks first: a page without JavaScript, and only a
confirmed post acts; a member without the right is refused exactly as before."""

from sqlalchemy import func, select

from pen.extensions import db
from pen.forums import service
from pen.forums.models import Attachment, Post
from pen.forums.posting import Upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _first(topic) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))


def test_deleting_a_topic_shows_what_will_happen_and_waits_for_the_yes(topic, author,
                                                                     client_as):
    client, post = client_as(author), _first(topic)
    page = client.get(f"/forums/p/{post.id}/delete").get_data(as_text=True)
    assert "Delete the topic How do we test transformer oil for PCBs?" in page
    assert 'name="confirmed" value="1"' in page and "Its replies go with it" in page
    unconfirmed = client.post(f"/forums/p/{post.id}/delete")
    assert unconfirmed.status_code == 200 and "Delete the topic" in unconfirmed.get_data(
        as_text=True)
    db.session.refresh(topic)
    assert not topic.deleted
    assert client.post(f"/forums/p/{post.id}/delete",
                       data={"confirmed": "1"}).status_code == 302
    db.session.refresh(topic)
    assert topic.deleted


def test_a_member_who_may_not_delete_is_refused_with_or_without_confirmation(
        topic, member, client_as):
    client, post = client_as(member), _first(topic)
    assert client.get(f"/forums/p/{post.id}/delete").status_code == 403
    assert client.post(f"/forums/p/{post.id}/delete").status_code == 403
    assert client.post(f"/forums/p/{post.id}/delete",
                       data={"confirmed": "1"}).status_code == 403
    db.session.refresh(topic)
    assert not topic.deleted


def test_removing_a_file_asks_first(category, author, client_as):
    service.create_topic(author, category, "Report", "Attached", [Upload("r.pdf", PDF)])
    attachment = db.session.scalar(select(Attachment))
    page = client_as(author).post(f"/forums/attachments/{attachment.id}/remove")
    assert "Remove the file r.pdf?" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
