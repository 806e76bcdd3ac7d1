"""Tags: labels moderators create, rename and delete, and authors choose for their
topics; a tag page lists the topics (through the registered topic rule, like every list).

A tag name is plain words: letters of any script, digits, spaces and ``- . + #``;
markup (``<b>``, quotes, ``&``) is refused with the reason, and templates escape it
anyway.
"""

import re
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, func, insert, select

from .. import audit
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..vocabulary import forget_term
from . import permissions
from .models import Tag, Topic, TopicTag

NAME = re.compile(r"[^\W_][\w .+#-]{1,39}")
MAX_PER_TOPIC = 5


def all_tags() -> list[Tag]:
    """Every tag, by name."""
    return list(db.session.scalars(select(Tag).order_by(Tag.name)))


def by_slug(slug: str) -> Tag | None:
    """The tag with this slug."""
    return db.session.scalar(select(Tag).where(Tag.slug == slug))


def create(actor, name: str) -> Tag:
    """A new tag (moderators); refused if the name is not plain words or is taken."""
    if not permissions.can_moderate_forums(actor):
        raise Forbidden(_("Only moderators create tags."))
    name, slug = _checked_name(name)
    tag = Tag(name=name, slug=slug)
    db.session.add(tag)
    db.session.flush()
    audit.record(actor, "forum.tag_create", tag, name=name)
    db.session.commit()
    return tag


def rename(actor, tag: Tag, name: str) -> Tag:
    """Give a tag another name (moderators), its topics keeping it; refused like a new
    tag's name, and if another tag has it."""
    if not permissions.can_moderate_forums(actor):
        raise Forbidden(_("Only moderators rename tags."))
    old = tag.name
    tag.name, tag.slug = _checked_name(name, tag.id)
    audit.record(actor, "forum.tag_rename", tag, name=tag.name, old=old)
    db.session.commit()
    return tag


def delete_tag(actor, tag: Tag) -> int:
    """Remove a tag from every topic and from the list (moderators); the number of
    topics that had it. The topics stay."""
    if not permissions.can_moderate_forums(actor):
        raise Forbidden(_("Only moderators delete tags."))
    topics = topic_count(tag)
    audit.record(actor, "forum.tag_delete", tag, name=tag.name, topics=topics)
    db.session.execute(delete(TopicTag).where(TopicTag.tag_id == tag.id))
    forget_term("forum_tag", tag.id)
    db.session.delete(tag)
    db.session.commit()
    return topics


def topic_count(tag: Tag) -> int:
    """How many topics carry the tag (whoever may see them: for moderators)."""
    return db.session.scalar(select(func.count()).select_from(TopicTag).where(
        TopicTag.tag_id == tag.id)) or 0


def _checked_name(name: str, tag_id: int | None = None) -> tuple[str, str]:
    """(name, slug) of a tag name, or a ValidationError: not plain words, or the name
    of another tag than ``tag_id``."""
    name = " ".join((name or "").split())
    if not NAME.fullmatch(name):
        raise ValidationError(_("A tag name has 2 to 40 letters, digits, spaces or - . + # "
                                "(no markup)."), field="name")
    slug = re.sub(r"[^\w]+", "-", name.lower()).strip("-")
    taken = select(Tag.id).where((Tag.slug == slug) | (Tag.name == name))
    if tag_id is not None:
        taken = taken.where(Tag.id != tag_id)
    if db.session.scalar(taken.limit(1)):
        raise ValidationError(_("There is a tag of this name already."), field="name")
    return name, slug


def may_tag(actor, topic: Topic) -> bool:
    """The topic's author and moderators choose its tags."""
    return actor.id == topic.author_id or permissions.can_moderate_forums(actor, topic)


def set_for_topic(actor, topic: Topic, tag_ids) -> None:
    """Put these existing tags (at most ``MAX_PER_TOPIC``) on the topic, replacing its
    tags; its author or a moderator."""
    if not may_tag(actor, topic):
        raise Forbidden(_("You may not tag this topic."))
    ids = list(db.session.scalars(select(Tag.id).where(Tag.id.in_(list(tag_ids)))))
    if len(ids) > MAX_PER_TOPIC:
        raise ValidationError(_("Choose at most %(n)d tags.", n=MAX_PER_TOPIC), field="tags")
    db.session.execute(delete(TopicTag).where(TopicTag.topic_id == topic.id))
    if ids:
        db.session.execute(insert(TopicTag), [{"topic_id": topic.id, "tag_id": i} for i in ids])
    audit.record(actor, "forum.topic_tags", topic, tags=ids)
    db.session.commit()


@cache
def _of_topics():
    """The statement of ``by_topic``, built once per process (``topic_ids`` a parameter)."""
    return (select(TopicTag.topic_id, Tag).join(Tag, Tag.id == TopicTag.tag_id)
            .where(TopicTag.topic_id.in_(bindparam("topic_ids", expanding=True)))
            .order_by(Tag.name))


def by_topic(topic_ids) -> dict[int, list[Tag]]:
    """The tags of these topics, by topic id (one query, none for no topics)."""
    ids = list(topic_ids)
    if not ids:
        return {}
    found: dict[int, list[Tag]] = {}
    for topic_id, tag in db.session.execute(_of_topics(), {"topic_ids": ids}).all():
        found.setdefault(topic_id, []).append(tag)
    return found
