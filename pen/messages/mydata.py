"""What the messages area holds of a member, for "download my data": the messages they
wrote (not others' words: those are the other participants' data) and their files."""

from sqlalchemy import select

from ..extensions import db
from .models import Conversation, Message
from .writing import ATTACHMENT_AREA


def messages(user) -> tuple[list, list]:
    """The member's own messages, with their conversation's subject, and their files."""
    rows = db.session.execute(
        select(Message, Conversation.subject).join(Conversation)
        .where(Message.author_id == user.id).order_by(Message.created_at, Message.id)).all()
    records, found = [], []
    for message, subject in rows:
        names = [f"{a.id}-{a.filename}" for a in message.attachments]
        records.append({"conversation": subject, "body": message.body,
                        "created_at": message.created_at.isoformat(), "attachments": names})
        found += [(ATTACHMENT_AREA, a.stored_name, name)
                  for a, name in zip(message.attachments, names, strict=True)]
    return records, found
