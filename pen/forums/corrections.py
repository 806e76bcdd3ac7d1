"""Undoing and correcting: restoring deleted posts, removing attachments, redacting old
versions of a post, deleting a category.

Like ``service``: plain values in, permission checks here, audited, committed.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from .. import audit, files, markup, search
from ..audit import AuditEntry
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..vocabulary import forget_term
from . import permissions, posting, watching
from .models import Attachment, Category, CategoryWatch, Post, PostRevision, Topic

REDACTED = "[redacted]"
REDACT_ACTION = "forum.revision.redact"


def restore_post(actor, post: Post) -> None:
    """Bring back a deleted post (the first post brings back its topic)."""
    own = permissions.can_view_topic(actor, post.topic) and permissions.deleted_by_self_recently(
        actor, post)
    if not (permissions.can_view_post(actor, post) or own):
        raise NotFound()
    if not permissions.can_restore_post(actor, post):
        raise Forbidden(_("You may not restore this post."))
    topic = post.topic
    post.deleted_at, post.deleted_by_id = None, None
    if post.number == 1:
        topic.deleted = False
        posting.reindex_topic(topic)
    posting.recount_topic(topic)
    posting.recount_category(topic.category_id)
    posting.reindex_post(post)
    audit.record(actor, "forum.post.restore", post, topic=topic.id,
                 own=post.author_id == actor.id, whole_topic=post.number == 1)
    db.session.commit()


def check_remove_attachment(actor, post: Post) -> None:
    """NotFound if ``actor`` cannot see the post, Forbidden if they may not change it."""
    if not permissions.can_view_post(actor, post):
        raise NotFound()
    if not permissions.can_remove_attachment(actor, post):
        raise Forbidden(_("You may not change this post."))


def remove_attachment(actor, attachment: Attachment) -> Post:
    """Remove a file from a post; the stored file goes once the removal is committed."""
    post = attachment.post
    check_remove_attachment(actor, post)
    stored_name = attachment.stored_name
    post.attachments.remove(attachment)
    db.session.delete(attachment)
    audit.record(actor, "forum.attachment.remove", post, attachment=attachment.id,
                 filename=attachment.filename, own=post.author_id == actor.id)
    db.session.commit()
    files.delete(posting.ATTACHMENT_AREA, stored_name)
    return post


def redact_revision(actor, revision: PostRevision) -> None:
    """Replace an old version's text with the redaction mark (moderators); the current
    version is changed by editing, not here."""
    post = revision.post
    if not permissions.can_view_post(actor, post):
        raise NotFound()
    if not permissions.can_redact_revision(actor, post):
        raise Forbidden(_("Only moderators redact a post's history."))
    if revision.version >= post.revision_count:
        raise ValidationError(_("This is the current version: edit the post instead."),
                              field="version")
    if redactions([revision]):
        raise ValidationError(_("This version is redacted already."), field="version")
    revision.body, revision.body_html = REDACTED, markup.render(REDACTED)
    if revision.title is not None:
        revision.title = REDACTED
    watching.forget_excerpts(post)  # the first version's words may be what they quote
    audit.record(actor, REDACT_ACTION, revision, post=post.id, version=revision.version)
    db.session.commit()


def redactions(revisions: list[PostRevision]) -> dict[int, AuditEntry]:
    """Who redacted which of these versions, and when (revision id -> audit entry): the
    audit log is the record, so redacting needs no column of its own."""
    ids = [str(r.id) for r in revisions if r.body == REDACTED]
    if not ids:
        return {}
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == REDACT_ACTION, AuditEntry.target_type == PostRevision.__tablename__,
        AuditEntry.target_id.in_(ids)).order_by(AuditEntry.at))
    return {int(e.target_id): e for e in entries}


def topic_count(category: Category) -> int:
    """Every topic filed in the category: deleted ones and group topics too."""
    return db.session.scalar(select(func.count()).select_from(Topic)
                             .where(Topic.category_id == category.id)) or 0


def delete_category(actor, category: Category, move_to: Category | None = None) -> int:
    """Delete a category (administrators): it must be empty, or its topics move to
    ``move_to`` first. Returns how many topics moved."""
    if not permissions.can_manage_categories(actor):
        raise Forbidden(_("Only administrators manage categories."))
    count = topic_count(category)
    if count and move_to is None:
        raise ValidationError(_("This category still holds %(n)d topics: choose the category "
                                "they move to.", n=count), field="destination")
    if move_to is not None and move_to.id == category.id:
        raise ValidationError(_("Choose another category for its topics."), field="destination")
    if count:
        _move_all_topics(category, move_to)
    db.session.execute(delete(CategoryWatch).where(CategoryWatch.category_id == category.id))
    audit.record(actor, "forum.category.delete", category, name=category.name, moved=count,
                 destination=move_to.id if move_to else None)
    forget_term("forum_category", category.id)
    db.session.delete(category)
    db.session.commit()
    return count


def _move_all_topics(source: Category, destination: Category) -> None:
    """Refile every topic of ``source`` in ``destination``; their posts are reindexed
    (the category is part of each post's index entry)."""
    post_ids = list(db.session.scalars(select(Post.id).join(Topic, Post.topic_id == Topic.id)
                                       .where(Topic.category_id == source.id)))
    db.session.execute(update(Topic).where(Topic.category_id == source.id)
                       .values(category_id=destination.id),
                       execution_options={"synchronize_session": False})
    db.session.expire_all()
    for post_id in post_ids:
        search.enqueue(posting.KIND, post_id)
    posting.recount_category(destination.id)
