"""Moderators rename and delete tags: deletion asks first (a page without JavaScript),
both are audited, a name that is taken or has markup is refused with the reason and the
form keeps what was typed; members may do neither."""

from html import unescape

import pytest
from sqlalchemy import select

from pen.audit import AuditEntry
from pen.errors import Forbidden
from pen.extensions import db
from pen.forums import tags
from pen.forums.models import Tag, TopicTag


def page(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_moderator_renames_a_tag_and_its_topics_keep_it(topic, author, moderator,
                                                           client_as):
    tag = tags.create(moderator, "Transformer oil")
    tags.set_for_topic(author, topic, [tag.id])
    client = client_as(moderator)
    form = page(client.get(f"/forums/tags/{tag.id}/rename"))
    assert 'value="Transformer oil"' in form
    response = client.post(f"/forums/tags/{tag.id}/rename", data={"name": "Insulating oil"})
    assert response.status_code == 302
    assert "The tag “Transformer oil” is now “Insulating oil”." in page(client.get("/forums/tags"))
    db.session.expire_all()
    assert tag.name == "Insulating oil" and tag.slug == "insulating-oil"
    assert "How do we test transformer oil" in page(client.get("/forums/tags/insulating-oil"))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "forum.tag_rename"))
    assert entry.actor_id == moderator.id and "Transformer oil" in str(entry.detail)
    assert client.post(f"/forums/tags/{tag.id}/rename",
                       data={"name": "INSULATING OIL"}).status_code == 302  # its own name


def test_a_taken_name_or_markup_is_refused_and_the_form_keeps_it(moderator, client_as):
    tag = tags.create(moderator, "Capacitors")
    tags.create(moderator, "Inventories")
    client = client_as(moderator)
    response = client.post(f"/forums/tags/{tag.id}/rename", data={"name": "inventories"})
    html = page(response)
    assert response.status_code == 400
    assert "There is a tag of this name already." in html and 'value="inventories"' in html
    response = client.post(f"/forums/tags/{tag.id}/rename", data={"name": "<b>Caps</b>"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "(no markup)" in html
    assert 'value="&lt;b&gt;Caps&lt;/b&gt;"' in html and "<b>Caps</b>" not in html
    db.session.expire_all()
    assert tag.name == "Capacitors"
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "forum.tag_rename")) is None


def test_deleting_a_tag_asks_first_then_takes_it_off_its_topics(topic, author, moderator,
                                                                 client_as):
    tag = tags.create(moderator, "Transformer oil")
    tags.set_for_topic(author, topic, [tag.id])
    tag_id = tag.id
    client = client_as(moderator)
    asked = client.post(f"/forums/tags/{tag.id}/delete")
    html = page(asked)
    assert asked.status_code == 200 and "Delete the tag “Transformer oil”?" in html
    assert "It is taken off 1 topic; the topic stays." in html
    assert db.session.get(Tag, tag.id) is not None  # nothing happened yet
    assert client.get(f"/forums/tags/{tag.id}/delete").status_code == 200  # the same page
    response = client.post(f"/forums/tags/{tag.id}/delete", data={"confirmed": "1"})
    assert response.status_code == 302
    assert "The tag “Transformer oil” was deleted." in page(client.get("/forums/tags"))
    db.session.expire_all()
    assert db.session.scalar(select(Tag)) is None and db.session.scalar(select(TopicTag)) is None
    assert client.get(f"/forums/t/{topic.id}").status_code == 200  # the topic stays
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "forum.tag_delete"))
    assert entry.actor_id == moderator.id and "Transformer oil" in str(entry.detail)
    assert client.post(f"/forums/tags/{tag_id}/delete",
                       data={"confirmed": "1"}).status_code == 404


def test_members_may_neither_rename_nor_delete(author, moderator, member, client_as):
    tag = tags.create(moderator, "Capacitors")
    client = client_as(member)
    assert client.get(f"/forums/tags/{tag.id}/rename").status_code == 403
    assert client.post(f"/forums/tags/{tag.id}/rename", data={"name": "Mine"}).status_code == 403
    assert client.post(f"/forums/tags/{tag.id}/delete",
                       data={"confirmed": "1"}).status_code == 403
    assert "/rename" not in page(client.get("/forums/tags"))
    with pytest.raises(Forbidden):
        tags.rename(author, tag, "Mine")
    with pytest.raises(Forbidden):
        tags.delete_tag(author, tag)
    db.session.expire_all()
    assert db.session.get(Tag, tag.id).name == "Capacitors"


def test_a_deleted_tag_takes_its_labels_in_other_languages_with_it(moderator):
    from pen import vocabulary

    tag = tags.create(moderator, "Askarel")
    vocabulary.seed("forum_tag", {str(tag.id): {"ru": "Аскарель", "fr": "Askarel (PCB)"}})
    db.session.commit()
    tags.delete_tag(moderator, tag)
    assert db.session.scalar(select(vocabulary.VocabularyLabel)) is None
