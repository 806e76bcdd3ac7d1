"""Writing in the forums: categories, topics, replies, edits, deletion, accepted answers.

Plain functions taking plain values; each checks permissions, writes, queues the
index and notifications in the same transaction, audits where it changes
someone else's data or the structure, and commits.
"""

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit, markup
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..search.analysis import fold
from ..types import utcnow
from . import drafts, images, mentions, permissions, posting, watching
from .models import Category, Post, PostRevision, Topic
from .posting import Upload

__all__ = ["Upload", "accept_answer", "create_category", "create_topic", "delete_post",
           "edit_post", "preview", "reply", "update_category"]


def preview(body: str) -> str:
    """The HTML a post would be stored as (same rendering as saving)."""
    return posting.render(posting.check_body(body))[0]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:80] or "category"


def create_category(actor, name: str, description: str = "", position: int | None = None):
    """A new category (administrators)."""
    if not permissions.can_manage_categories(actor):
        raise Forbidden(_("Only administrators manage categories."))
    name = _category_name(name)
    slug, n = _slug(name), 1
    while db.session.scalar(select(Category.id).where(Category.slug == slug)):
        n += 1
        slug = f"{_slug(name)[:76]}-{n}"
    if position is None:
        position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
    category = Category(name=name, slug=slug, position=position, description=description,
                        description_html=markup.render(description))
    db.session.add(category)
    db.session.flush()
    audit.record(actor, "forum.category.create", category, name=name)
    db.session.commit()
    return category


def update_category(actor, category: Category, name: str, description: str,
                    position: int) -> None:
    """Rename, describe or reorder a category (administrators)."""
    if not permissions.can_manage_categories(actor):
        raise Forbidden(_("Only administrators manage categories."))
    category.name = _category_name(name)
    category.description, category.description_html = description, markup.render(description)
    category.position = int(position)
    audit.record(actor, "forum.category.update", category, name=category.name)
    db.session.commit()


def _category_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 120:
        raise ValidationError(_("A category name has 2 to 120 characters."), field="name")
    return name


def create_topic(author, category: Category, title: str, body: str,
                 uploads: list[Upload] = (), group_id: int | None = None) -> Topic:
    """Start a topic: its first post, the author watching it, watchers notified."""
    if not permissions.can_create_topic(author, category, group_id):
        raise Forbidden(_("You may not start a topic here."))
    title, body = posting.check_title(title), posting.check_body(body)
    checked = posting.check_uploads(list(uploads))
    html, mentioned = posting.render(body)
    now = utcnow()
    topic = Topic(category=category, title=title, author=author, group_id=group_id,
                  created_at=now, last_post_at=now)
    db.session.add(topic)
    if posting.counts_publicly(topic):
        category.topic_count = Category.topic_count + 1
    post = posting.new_post(topic, author, body, html, title=title)
    stored = posting.store_attachments(post, checked)
    db.session.flush()
    posting.touch(topic, post)
    images.claim(author, post)
    watching.auto_watch(author, topic, starting=True)
    watching.announce(post, author, mentioned, is_new_topic=True)
    posting.reindex_post(post)
    drafts.forget(author, drafts.category_place(category))
    posting.commit_or_remove(stored)
    return topic


def reply(author, topic: Topic, body: str, uploads: list[Upload] = ()) -> Post:
    """Add a reply: refused on a locked topic; the author watches; watchers are notified."""
    if not permissions.can_view_topic(author, topic):
        raise NotFound()
    if not permissions.can_reply(author, topic):
        raise Forbidden(_("This topic is locked: no new replies."))
    body = posting.check_body(body)
    checked = posting.check_uploads(list(uploads))
    html, mentioned = posting.render(body)
    post = posting.new_post(topic, author, body, html)
    stored = posting.store_attachments(post, checked)
    db.session.flush()
    posting.touch(topic, post)
    images.claim(author, post)
    watching.auto_watch(author, topic)
    watching.announce(post, author, mentioned, is_new_topic=False)
    posting.reindex_post(post)
    drafts.forget(author, drafts.topic_place(topic))
    posting.commit_or_remove(stored)
    return post


def edit_post(actor, post: Post, body: str, title: str | None = None,
              uploads: list[Upload] = ()) -> Post:
    """Change a post (and the title, for the first post), keeping the old version."""
    if not permissions.can_view_post(actor, post):
        raise NotFound()
    if not permissions.can_edit_post(actor, post):
        raise Forbidden(_("You may not edit this post."))
    body = posting.check_body(body)
    title = posting.check_title(title) if post.number == 1 and title is not None else None
    checked = posting.check_uploads(list(uploads))
    earlier = mentions.handles_in(db.session.scalars(
        select(PostRevision.body).where(PostRevision.post_id == post.id)))
    html, mentioned = posting.render(body)
    post.body, post.body_html = body, html
    post.edited_at, post.revision_count = utcnow(), post.revision_count + 1
    db.session.add(PostRevision(post=post, version=post.revision_count, title=title, body=body,
                                body_html=post.body_html, editor_id=actor.id))
    stored = posting.store_attachments(post, checked)
    images.claim(actor, post)  # the images the writer pasted in this version
    if title and title != post.topic.title:
        post.topic.title = title
        posting.reindex_topic(post.topic)
    if post.author_id != actor.id:
        audit.record(actor, "forum.post.edit", post, topic=post.topic_id)
    watching.announce_mentions(post, actor, {k: u for k, u in mentioned.items()
                                             if k not in earlier})
    posting.reindex_post(post)
    posting.commit_or_remove(stored)
    return post


def check_delete(actor, post: Post) -> None:
    """NotFound if ``actor`` cannot see the post, Forbidden if they may not delete it."""
    if not permissions.can_view_post(actor, post):
        raise NotFound()
    if not permissions.can_delete_post(actor, post):
        raise Forbidden(_("You may not delete this post."))


def delete_post(actor, post: Post) -> None:
    """Soft-delete a post (the first post deletes the topic); moderators still see it."""
    check_delete(actor, post)
    topic = post.topic
    post.deleted_at, post.deleted_by_id = utcnow(), actor.id
    if topic.accepted_post_id == post.id:
        topic.accepted_post_id, topic.solved = None, False
    if post.number == 1:
        topic.deleted = True
        posting.reindex_topic(topic)
    posting.recount_topic(topic)
    posting.recount_category(topic.category_id)
    posting.reindex_post(post)
    watching.forget_excerpts(post)
    audit.record(actor, "forum.post.delete", post, topic=topic.id, own=post.author_id == actor.id)
    db.session.commit()


def accept_answer(actor, topic: Topic, post: Post | None) -> None:
    """Mark ``post`` (a reply of ``topic``) as the accepted answer, or clear it with None."""
    if not permissions.can_accept_answer(actor, topic):
        raise Forbidden(_("Only the topic's author or a moderator chooses the answer."))
    if post is not None and (post.topic_id != topic.id or post.number == 1
                             or not post.is_public):
        raise ValidationError(_("Choose one of the visible replies."), field="post")
    topic.accepted_post_id = post.id if post else None
    topic.solved = post is not None
    posting.reindex_topic(topic)
    audit.record(actor, "forum.topic.accept", topic, post=post.id if post else None)
    db.session.commit()
