"""Reading conversations: the member's list (latest first, unread marked) and a
conversation's messages, those of members the reader blocked left folded."""

from sqlalchemy import and_, func, or_, select

from ..extensions import db
from . import permissions
from .models import Conversation, Message, Participant

PER_PAGE = 30
MESSAGES_PER_PAGE = 50


def conversations(user, page: int = 1):
    """A page of the member's conversations, the latest first (the rule's clause)."""
    query = (select(Conversation).where(permissions.visible_conversation_clause(user))
             .order_by(Conversation.last_message_at.desc(), Conversation.id.desc()))
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def _unread_condition(user):
    """The member's conversations with a message newer than their read mark."""
    return _unread_condition_of(user.id)


def _unread_condition_of(user_id):
    """``_unread_condition`` on a user id (a value or a column)."""
    return and_(Participant.user_id == user_id, Participant.left_at.is_(None),
                or_(Participant.last_read_at.is_(None),
                    Conversation.last_message_at > Participant.last_read_at))


def unread_ids(user, conversation_ids: list[int]) -> set[int]:
    """Which of these conversations have something the member has not read."""
    if not conversation_ids:
        return set()
    return set(db.session.scalars(
        select(Conversation.id).join(Participant, Participant.conversation_id == Conversation.id)
        .where(Conversation.id.in_(conversation_ids), _unread_condition(user))))


def unread_count(user) -> int:
    """How many conversations have something the member has not read."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(
        select(func.count(Conversation.id))
        .join(Participant, Participant.conversation_id == Conversation.id)
        .where(_unread_condition(user))) or 0


def unread_column(user_id):
    """``unread_count`` as a scalar subquery on ``user_id``, read with the session."""
    return (select(func.count(Conversation.id))
            .join(Participant, Participant.conversation_id == Conversation.id)
            .where(_unread_condition_of(user_id)).scalar_subquery())


def messages(conversation: Conversation, page: int | None = None):
    """A page of the conversation's messages, oldest first (the last page by default)."""
    query = (select(Message).where(Message.conversation_id == conversation.id)
             .order_by(Message.created_at, Message.id))
    if page is None:
        total = db.session.scalar(select(func.count(Message.id)).where(
            Message.conversation_id == conversation.id)) or 0
        page = max(1, -(-total // MESSAGES_PER_PAGE))
    return db.paginate(query, page=page, per_page=MESSAGES_PER_PAGE, error_out=False)


def present_members(conversation: Conversation) -> list:
    """The participants who have not left, by name."""
    return sorted((p.user for p in conversation.participants if p.left_at is None),
                  key=lambda u: u.display_name.casefold())


def around(message: Message, before: int = 3, after: int = 3) -> list[Message]:
    """The message with a few of its neighbours: the context of a report."""
    same = Message.conversation_id == message.conversation_id
    earlier = list(db.session.scalars(select(Message).where(
        same, Message.id < message.id).order_by(Message.id.desc()).limit(before)))
    later = list(db.session.scalars(select(Message).where(
        same, Message.id > message.id).order_by(Message.id).limit(after)))
    return [*reversed(earlier), message, *later]
