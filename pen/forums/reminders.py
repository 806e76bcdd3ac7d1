"""Bookmark reminders: a member gives a bookmark a date; on that day (UTC) the worker's
``bookmark reminders`` task notifies them, if they may still see what they kept, and
clears the date."""

from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, notifications
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..types import utcnow
from . import permissions, watching
from .models import Post, PostBookmark, Topic, TopicBookmark

BATCH = 200  # reminders sent per pass and kind
KIND = "forum.bookmark_reminder"


def set_reminder(user, of: str, target_id: int, day: date | None) -> None:
    """Remind the member of a bookmark on ``day`` (None: no reminder); not in the past."""
    model, column, kept = (PostBookmark, "post_id", Post) if of == "posts" else (
        TopicBookmark, "topic_id", Topic)
    bookmark = db.session.get(model, {"user_id": user.id, column: target_id})
    if bookmark is None:
        raise NotFound()
    if day is not None and day < utcnow().date():
        raise ValidationError(_("Choose a day from today on."), field="remind_on")
    bookmark.remind_at = datetime.combine(day, time(0, 0), UTC) if day else None
    audit.record(user, "forum.bookmark_reminder", db.session.get(kept, target_id),
                 day=str(day or ""))
    db.session.commit()


def send_due() -> int:
    """Notify the members whose reminders are due (worker task); how many, 0 when idle."""
    now, sent = utcnow(), 0
    for bookmark in db.session.scalars(select(TopicBookmark).where(
            TopicBookmark.remind_at <= now).limit(BATCH)):
        topic = db.session.get(Topic, bookmark.topic_id)
        sent += _remind(bookmark, notifications.Target(
            permissions.TOPIC_KIND, topic.id, topic.title,
            notifications.path_for("forums.topic", topic_id=topic.id)),
            lambda user, topic=topic: permissions.can_view_topic(user, topic))
    for bookmark in db.session.scalars(select(PostBookmark).where(
            PostBookmark.remind_at <= now).limit(BATCH)):
        post = db.session.get(Post, bookmark.post_id)
        sent += _remind(bookmark, watching.post_target(post),
                        lambda user, post=post: permissions.can_view_post(user, post))
    db.session.commit()
    return sent


def _remind(bookmark, target: notifications.Target, can_see) -> int:
    """One reminder (none if the member can no longer see it); the date is cleared."""
    bookmark.remind_at = None
    return notifications.notify([bookmark.user_id], KIND, target, can_see=can_see)
