"""Replies by email to notifications about a topic: posted as the member, by the
forum's own rules (``service.reply``), or refused with the reason."""

from flask_babel import gettext as _

from ..extensions import db
from ..notifications.replies import ReplyRefused
from . import permissions, service
from .models import Topic
from .posting import Upload


def reply_by_email(user, topic_id: int, text: str, uploads: list[tuple[str, bytes]]):
    """Post ``text`` as a reply to the topic; ReplyRefused if it is closed to the member."""
    topic = db.session.get(Topic, topic_id)
    if topic is None or not permissions.can_view_topic(user, topic) or topic.deleted:
        raise ReplyRefused(_("The topic you replied to is no longer open to you."))
    if not permissions.can_reply(user, topic):
        raise ReplyRefused(_("The topic “%(title)s” is locked: it takes no more replies.",
                             title=topic.title))
    return service.reply(user, topic, text, [Upload(name, data) for name, data in uploads])
