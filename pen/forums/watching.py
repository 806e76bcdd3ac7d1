"""Watching and muting topics and categories; who hears of a new post.

Authors and repliers start watching a topic on their own (unless they muted
it); watchers of a category hear of its new topics and replies. A mute on a
topic silences it even for watchers of its category.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from .. import notifications
from ..errors import NotFound, ValidationError
from ..extensions import db
from . import permissions
from .models import MUTED, WATCHING, Category, CategoryWatch, Post, Topic, TopicWatch

LEVELS = (WATCHING, MUTED, "none")


def auto_watch(user, topic: Topic) -> None:
    """Start watching a topic one writes in, unless one has a choice about it already."""
    if db.session.get(TopicWatch, (user.id, topic.id)) is None:
        db.session.add(TopicWatch(user_id=user.id, topic_id=topic.id, level=WATCHING))


def topic_level(user, topic: Topic) -> str:
    """"watching", "muted" or "none"."""
    row = db.session.get(TopicWatch, (user.id, topic.id))
    return row.level if row else "none"


def category_level(user, category: Category) -> str:
    """"watching", "muted" or "none"."""
    row = db.session.get(CategoryWatch, (user.id, category.id))
    return row.level if row else "none"


def set_topic_level(user, topic: Topic, level: str) -> None:
    """Watch, mute or stop following a topic."""
    if not permissions.can_watch(user, topic):
        raise NotFound()
    _set(TopicWatch, {"user_id": user.id, "topic_id": topic.id}, level)


def set_category_level(user, category: Category, level: str) -> None:
    """Watch, mute or stop following a category."""
    _set(CategoryWatch, {"user_id": user.id, "category_id": category.id}, level)


def _set(model, key: dict, level: str) -> None:
    if level not in LEVELS:
        raise ValidationError(_("Choose watching, muted or neither."), field="level")
    row = db.session.get(model, tuple(key.values()))
    if level == "none":
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(model(**key, level=level))
    else:
        row.level = level
    db.session.commit()


def watchers(topic: Topic) -> set[int]:
    """Who hears of a new post in ``topic``: its watchers and its category's, less mutes."""
    topic_rows = dict(db.session.execute(select(TopicWatch.user_id, TopicWatch.level)
                                         .where(TopicWatch.topic_id == topic.id)).all())
    category_rows = db.session.scalars(select(CategoryWatch.user_id).where(
        CategoryWatch.category_id == topic.category_id, CategoryWatch.level == WATCHING))
    wanted = {uid for uid, level in topic_rows.items() if level == WATCHING}
    wanted |= {uid for uid in category_rows if topic_rows.get(uid) != MUTED}
    return wanted


def post_target(post: Post) -> notifications.Target:
    """A post as a notification target (its visibility is its topic's)."""
    return notifications.Target("forum_topic", post.topic_id, post.topic.title,
                                notifications.path_for("forums.post_link", post_id=post.id))


def announce(post: Post, actor, mentioned: dict, is_new_topic: bool) -> None:
    """Notify the mentioned members, then the watchers, of a new post."""
    topic = post.topic
    target = post_target(post)
    can_see = lambda user: permissions.can_view_topic(user, topic)  # noqa: E731
    mentioned_ids = {u.id for u in mentioned.values()}
    if mentioned_ids:
        notifications.notify(mentioned_ids, "forum.mention", target, can_see=can_see,
                             actor=actor, excerpt=post.body)
    kind = "forum.topic" if is_new_topic else "forum.reply"
    notifications.notify(watchers(topic) - mentioned_ids, kind, target, can_see=can_see,
                         actor=actor, excerpt=post.body)


def visible_topic_ids(user, ids) -> set[int]:
    """Notification targets check: which of these topics ``user`` may still see."""
    clause = permissions.visible_topic_clause(user)
    return set(db.session.scalars(select(Topic.id).where(Topic.id.in_(list(ids)), clause)))
