"""Bookmarks: topics and posts a member keeps for later, listed on "My bookmarks".

The list asks the registered visibility rules, so a bookmark of something the member
can no longer see (a topic moved into a group they left, a hidden post) stays out."""

from sqlalchemy import select

from .. import audit
from ..extensions import db
from . import permissions
from .models import Post, PostBookmark, Topic, TopicBookmark

PER_PAGE = 30


def toggle_topic(user, topic: Topic) -> bool:
    """Bookmark the topic, or remove the bookmark; whether it is now bookmarked.
    The caller checked the topic is visible (else 404)."""
    return _toggle(user, TopicBookmark, {"user_id": user.id, "topic_id": topic.id}, topic)


def toggle_post(user, post: Post) -> bool:
    """Bookmark the post, or remove the bookmark; whether it is now bookmarked."""
    return _toggle(user, PostBookmark, {"user_id": user.id, "post_id": post.id}, post)


def _toggle(user, model, key: dict, target) -> bool:
    """Add or remove one bookmark row, audited."""
    found = db.session.get(model, key)
    if found is not None:
        db.session.delete(found)
    else:
        db.session.add(model(**key))
    audit.record(user, "forum.unbookmark" if found else "forum.bookmark", target)
    db.session.commit()
    return found is None


def topics(user, page: int = 1):
    """A page of the member's bookmarked topics that they may still see, newest first."""
    query = (select(Topic).join(TopicBookmark, TopicBookmark.topic_id == Topic.id)
             .where(TopicBookmark.user_id == user.id, permissions.visible_topic_clause(user))
             .order_by(TopicBookmark.created_at.desc(), Topic.id.desc()))
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def posts(user, page: int = 1):
    """A page of the member's bookmarked posts that they may still see, newest first."""
    query = (select(Post).join(PostBookmark, PostBookmark.post_id == Post.id)
             .where(PostBookmark.user_id == user.id, permissions.visible_post_clause(user))
             .order_by(PostBookmark.created_at.desc(), Post.id.desc()))
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def reminder_days(user, of: str, ids: list[int]) -> dict:
    """The reminder dates of these bookmarks of the member's, by topic or post id."""
    model, column = (PostBookmark, PostBookmark.post_id) if of == "posts" else (
        TopicBookmark, TopicBookmark.topic_id)
    if not ids:
        return {}
    return {target: when.date() for target, when in db.session.execute(
        select(column, model.remind_at).where(model.user_id == user.id, column.in_(ids),
                                              model.remind_at.is_not(None))).all()}
