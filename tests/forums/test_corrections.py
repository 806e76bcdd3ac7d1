"""Undo and correct: restoring posts and topics, removing attachments, redacting old
versions, deleting categories; refused to whoever may not, and audited."""

from datetime import timedelta

from sqlalchemy import func, select

from pen import files
from pen.audit import AuditEntry
from pen.extensions import db
from pen.forums import corrections, service, watching
from pen.forums.models import Attachment, Category, CategoryWatch, Post, Topic
from pen.forums.posting import ATTACHMENT_AREA, Upload
from pen.search.models import SearchLog

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action.like("forum.%")).order_by(AuditEntry.id)))


def last_entry() -> AuditEntry:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("forum.%"))
                              .order_by(AuditEntry.id.desc())).first()


def first_post(topic) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))


# Restoring ---------------------------------------------------------------------------

def test_a_moderator_restores_a_deleted_topic(topic, author, member, moderator, client_as):
    service.reply(member, topic, "An answer")
    service.delete_post(moderator, first_post(topic))
    assert client_as(member).get(f"/forums/t/{topic.id}").status_code == 404
    mod = client_as(moderator)
    page = mod.get(f"/forums/t/{topic.id}").get_data(as_text=True)
    assert "Restore topic" in page
    response = mod.post(f"/forums/p/{first_post(topic).id}/restore")
    assert response.status_code == 302
    assert "The topic was restored." in mod.get(response.headers["Location"],
                                               follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert not topic.deleted and topic.post_count == 2
    assert topic.category.topic_count == 1 and topic.category.post_count == 2
    assert client_as(member).get(f"/forums/t/{topic.id}").status_code == 200
    assert actions()[-1] == "forum.post.restore"


def test_an_author_restores_a_reply_they_deleted(topic, member, client_as):
    reply = service.reply(member, topic, "Second thoughts about sampling")
    client = client_as(member)
    client.post(f"/forums/p/{reply.id}/delete", data={"confirmed": "1"})
    page = client.get(f"/forums/t/{topic.id}").get_data(as_text=True)
    assert "You deleted this post on" in page and "Second thoughts" not in page
    assert client.post(f"/forums/p/{reply.id}/restore").status_code == 302
    page = client.get(f"/forums/t/{topic.id}").get_data(as_text=True)
    assert "Second thoughts about sampling" in page
    db.session.expire_all()
    assert topic.post_count == 2 and reply.deleted_at is None
    entry = last_entry()
    assert entry.action == "forum.post.restore" and entry.detail["own"] is True


def test_an_author_cannot_restore_what_a_moderator_deleted(topic, member, moderator, client_as):
    reply = service.reply(member, topic, "Off-topic advertisement")
    service.delete_post(moderator, reply)
    client = client_as(member)
    assert "You deleted this post" not in client.get(f"/forums/t/{topic.id}").get_data(
        as_text=True)
    assert client.post(f"/forums/p/{reply.id}/restore").status_code == 404
    db.session.expire_all()
    assert reply.deleted_at is not None


def test_an_author_cannot_restore_after_the_window(topic, member, client_as):
    reply = service.reply(member, topic, "Old mistake")
    service.delete_post(member, reply)
    reply.deleted_at -= timedelta(days=8)
    db.session.commit()
    client = client_as(member)
    assert "You deleted this post" not in client.get(f"/forums/t/{topic.id}").get_data(
        as_text=True)
    assert client.post(f"/forums/p/{reply.id}/restore").status_code == 404


def test_an_author_cannot_restore_their_deleted_topic_nor_others_posts(topic, author, member,
                                                                       client_as):
    reply = service.reply(member, topic, "Mine")
    service.delete_post(member, reply)
    assert client_as(author).post(f"/forums/p/{reply.id}/restore").status_code == 404
    service.delete_post(author, first_post(topic))
    assert client_as(author).post(
        f"/forums/p/{first_post(topic).id}/restore").status_code == 404
    db.session.expire_all()
    assert topic.deleted


def test_restoring_in_a_locked_topic_is_for_moderators(topic, member, moderator, client_as):
    from pen.forums import moderation
    reply = service.reply(member, topic, "Mine")
    service.delete_post(member, reply)
    moderation.set_locked(moderator, topic, True)
    assert client_as(member).post(f"/forums/p/{reply.id}/restore").status_code == 403


def test_restoring_a_post_that_is_not_deleted_is_refused(topic, moderator, client_as):
    assert client_as(moderator).post(
        f"/forums/p/{first_post(topic).id}/restore").status_code == 403


# Removing attachments ---------------------------------------------------------------

def test_the_author_removes_a_file_while_editing(category, member, client_as):
    topic = service.create_topic(member, category, "Inventory form", "See the form",
                                 [Upload("form.pdf", PDF)])
    attachment = db.session.scalar(select(Attachment))
    stored, href = attachment.stored_name, f"/forums/attachments/{attachment.id}/form.pdf"
    client = client_as(member)
    edit_page = client.get(f"/forums/p/{first_post(topic).id}/edit").get_data(as_text=True)
    assert "Remove form.pdf" in edit_page
    assert client.get(href).status_code == 200
    response = client.post(f"/forums/attachments/{attachment.id}/remove",
                           data={"confirmed": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit")
    assert client.get(href).status_code == 404
    assert not files.path_of(ATTACHMENT_AREA, stored).exists()
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    entry = last_entry()
    assert entry.action == "forum.attachment.remove" and entry.detail["filename"] == "form.pdf"


def test_a_moderator_removes_a_file_others_cannot(category, author, member, moderator,
                                                  client_as):
    service.create_topic(author, category, "Report", "Attached", [Upload("r.pdf", PDF)])
    attachment = db.session.scalar(select(Attachment))
    assert client_as(member).post(
        f"/forums/attachments/{attachment.id}/remove").status_code == 403
    assert files.path_of(ATTACHMENT_AREA, attachment.stored_name).exists()
    assert client_as(moderator).post(
        f"/forums/attachments/{attachment.id}/remove",
        data={"confirmed": "1"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_files_of_posts_one_cannot_see_are_not_found(category, admin, member, client_as):
    service.create_topic(admin, category, "Group plan", "Attached", [Upload("p.pdf", PDF)],
                         group_id=41)
    attachment = db.session.scalar(select(Attachment))
    assert client_as(member).post(
        f"/forums/attachments/{attachment.id}/remove").status_code == 404


# Redacting ----------------------------------------------------------------------------

def test_a_moderator_redacts_an_old_version(topic, author, moderator, client_as):
    post = first_post(topic)
    service.edit_post(author, post, "Sorry, my phone number was here: removed.")
    mod = client_as(moderator)
    history = mod.get(f"/forums/p/{post.id}/history").get_data(as_text=True)
    assert "Which test kits" in history and "Redact version 1" in history
    assert "Redact version 2" not in history  # the current version is edited instead
    assert mod.post(f"/forums/p/{post.id}/history/1/redact").status_code == 302
    for client in (mod, client_as(author)):
        history = client.get(f"/forums/p/{post.id}/history").get_data(as_text=True)
        assert "Which test kits" not in history and "Redacted" in history
        assert "by Carlos Mendoza" in history and "removed." in history
    assert actions()[-1] == "forum.revision.redact"
    response = mod.post(f"/forums/p/{post.id}/history/1/redact", follow_redirects=True)
    assert "redacted already" in response.get_data(as_text=True)


def test_the_current_version_cannot_be_redacted(topic, author, moderator, client_as):
    post = first_post(topic)
    service.edit_post(author, post, "New text")
    response = client_as(moderator).post(f"/forums/p/{post.id}/history/2/redact",
                                         follow_redirects=True)
    assert "edit the post instead" in response.get_data(as_text=True)
    assert "New text" in client_as(moderator).get(
        f"/forums/p/{post.id}/history").get_data(as_text=True)


def test_members_cannot_redact(topic, author, client_as):
    post = first_post(topic)
    service.edit_post(author, post, "New text")
    client = client_as(author)
    assert "Redact version" not in client.get(f"/forums/p/{post.id}/history").get_data(
        as_text=True)
    assert client.post(f"/forums/p/{post.id}/history/1/redact").status_code == 403
    assert "Which test kits" in client.get(f"/forums/p/{post.id}/history").get_data(
        as_text=True)


# Deleting categories -------------------------------------------------------------------

def test_an_empty_category_is_deleted(admin, client_as, other_category, member):
    watching.set_category_level(member, other_category, "watching")
    client = client_as(admin)
    assert "It holds no topic." in client.get(
        f"/forums/categories/{other_category.id}/delete").get_data(as_text=True)
    response = client.post(f"/forums/categories/{other_category.id}/delete",
                           data={"destination": "0"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0
    assert db.session.scalar(select(func.count()).select_from(CategoryWatch)) == 0
    entry = last_entry()
    assert entry.action == "forum.category.delete" and entry.detail["moved"] == 0


def test_a_category_with_topics_needs_a_destination(topic, category, other_category, admin,
                                                    client_as):
    client = client_as(admin)
    response = client.post(f"/forums/categories/{category.id}/delete",
                           data={"destination": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "still holds 1 topics" in html
    assert 'id="destination-error"' in html and "Nothing was deleted." in html
    assert db.session.get(Category, category.id) is not None


def test_deleting_a_category_moves_its_topics(topic, author, member, category, other_category,
                                              admin, moderator, client_as):
    service.reply(member, topic, "Answer")
    gone = service.create_topic(author, category, "Deleted one", "Text")
    service.delete_post(moderator, first_post(gone))
    db.session.execute(SearchLog.__table__.delete())
    db.session.commit()
    category_id = category.id
    response = client_as(admin).post(f"/forums/categories/{category_id}/delete",
                                     data={"destination": str(other_category.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, category_id) is None
    assert {t.category_id for t in db.session.scalars(select(Topic))} == {other_category.id}
    assert other_category.topic_count == 1 and other_category.post_count == 2
    queued = db.session.scalar(select(func.count()).select_from(SearchLog))
    assert queued == 3  # every post of the moved topics is reindexed
    page = client_as(member).get(f"/forums/c/{other_category.slug}").get_data(as_text=True)
    assert topic.title in page and "Deleted one" not in page


def test_members_cannot_delete_categories(category, member, client_as):
    client = client_as(member)
    assert client.get(f"/forums/categories/{category.id}/delete").status_code == 403
    assert client.post(f"/forums/categories/{category.id}/delete",
                       data={"destination": "0"}).status_code == 403
    assert db.session.get(Category, category.id) is not None


def test_the_service_refuses_moving_topics_into_the_category_itself(topic, category, admin):
    import pytest

    from pen.errors import ValidationError
    with pytest.raises(ValidationError, match="another category"):
        corrections.delete_category(admin, category, category)
