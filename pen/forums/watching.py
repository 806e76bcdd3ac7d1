"""Watching and muting topics and categories; who hears of a new post.

Authors and repliers start watching a topic on their own (unless they muted
it, or reply in a category they muted); watchers of a category hear of its new
topics and replies. A mute on a topic silences it even for watchers of its
category; a muted category is silent except for the topics one started or chose
to watch on their own page, and mentions (addressed to a person, not a category).
"""

from flask_babel import gettext as _
from sqlalchemy import select

from .. import notifications
from ..errors import NotFound, ValidationError
from ..extensions import db
from . import permissions
from .models import MUTED, WATCHING, Category, CategoryWatch, Post, Topic, TopicWatch

LEVELS = (WATCHING, MUTED, "none")


def auto_watch(user, topic: Topic, starting: bool = False) -> None:
    """Start watching a topic one writes in, unless one has a choice about it already
    or replies in a category one muted (who starts a topic wants its answers)."""
    if db.session.get(TopicWatch, (user.id, topic.id)) is not None:
        return
    if not starting and category_level_of(user.id, topic.category_id) == MUTED:
        return
    db.session.add(TopicWatch(user_id=user.id, topic_id=topic.id, level=WATCHING))


def category_level(user, category: Category) -> str:
    """"watching", "muted" or "none"."""
    return category_level_of(user.id, category.id)


def category_level_of(user_id: int, category_id: int) -> str:
    """"watching", "muted" or "none", by ids."""
    row = db.session.get(CategoryWatch, (user_id, category_id))
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
    """Who hears of a new post in ``topic``: its watchers and its category's, less mutes
    (a member's choice on the topic outranks their choice on the category)."""
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


def forget_excerpts(post: Post) -> None:
    """A hidden, deleted or redacted post's words leave the notifications quoting them
    (their topic may still be visible to the recipients; the post no longer is)."""
    notifications.withdraw_excerpts(post_target(post).url)


def _can_see(topic: Topic):
    """The notification check: who may see ``topic``."""
    return lambda user: permissions.can_view_topic(user, topic)


def announce(post: Post, actor, mentioned: dict, is_new_topic: bool) -> None:
    """Notify the mentioned members, then the watchers, of a new post."""
    mentioned_ids = announce_mentions(post, actor, mentioned)
    kind = "forum.topic" if is_new_topic else "forum.reply"
    notifications.notify(watchers(post.topic) - mentioned_ids, kind, post_target(post),
                         can_see=_can_see(post.topic), actor=actor, excerpt=post.body)


def announce_mentions(post: Post, actor, mentioned: dict) -> set[int]:
    """Notify the members mentioned in ``post`` (on writing it, or newly by an edit);
    a hidden post mentions no one. Returns their ids."""
    mentioned_ids = {u.id for u in mentioned.values()}
    if mentioned_ids and post.is_public:
        notifications.notify(mentioned_ids, "forum.mention", post_target(post),
                             can_see=_can_see(post.topic), actor=actor, excerpt=post.body)
    return mentioned_ids
