"""Replies by email to notifications about a conversation: sent as the member, by
the conversation's own rules (``service.send``), or refused with the reason."""

from flask_babel import gettext as _

from ..notifications.replies import ReplyRefused
from . import service
from .writing import Upload


def reply_by_email(user, conversation_id: int, text: str, uploads: list[tuple[str, bytes]]):
    """Write ``text`` in the conversation; ReplyRefused if the member left it."""
    conversation = service.conversation_or_none(user, conversation_id)
    if conversation is None:
        raise ReplyRefused(_("You left this conversation, or it is no longer open to you: "
                             "your reply was not sent."))
    return service.send(user, conversation, text, [Upload(n, d) for n, d in uploads])
