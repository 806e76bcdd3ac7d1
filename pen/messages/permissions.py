"""Who may see and do what in private conversations.

Visibility is declared once as two ``pen.visibility`` rules registered on the app:
"message_conversation" (its present participants, that is active members who have
not left) and "message" (a message is seen with its conversation). Pages,
downloads, notifications, digests and search ask them; administrators have no
way in, except to the one message a participant reported to them, and its
context (``can_view_report``).

Who may *write* to a member is their own choice (``MessageSettings.who``):
everyone, members of one of their groups, or nobody; administrators (the
Secretariat) may always write. A member they blocked may not.
"""

from sqlalchemy import select

from .. import visibility
from ..auth.permissions import is_admin, is_member, register_predicate
from ..extensions import db
from ..groups.permissions import member_group_ids
from ..visibility import Among, Rule, UserIs, Via
from .models import (
    PRESENT,
    WRITE_EVERYONE,
    WRITE_GROUPS,
    WRITE_NOBODY,
    Block,
    Conversation,
    Message,
    MessageSettings,
    Participant,
)

CONVERSATION_KIND, MESSAGE_KIND = "message_conversation", "message"

CONVERSATION_RULE = Rule(
    CONVERSATION_KIND, Conversation,
    UserIs("member", is_member),
    Among("participant", Conversation.participants, Participant.user_id, PRESENT),
)

MESSAGE_RULE = Rule(
    MESSAGE_KIND, Message,
    Via(Message.conversation, CONVERSATION_RULE),  # a message is seen with its conversation
)


def register_rules(app) -> None:
    """Register the two visibility rules on ``app``."""
    visibility.register_rule(app, CONVERSATION_KIND, CONVERSATION_RULE)
    visibility.register_rule(app, MESSAGE_KIND, MESSAGE_RULE)


def can_view_conversation(user, conversation) -> bool:
    """Whether ``user`` is a present participant: the registered rule."""
    return visibility.rule_for(CONVERSATION_KIND).can(user, conversation)


def visible_conversation_clause(user):
    """The registered conversation rule as a SQL condition on ``Conversation``."""
    return visibility.rule_for(CONVERSATION_KIND).clause(user)


def can_view_message(user, message) -> bool:
    """Whether ``user`` may see ``message``: the registered rule."""
    return visibility.rule_for(MESSAGE_KIND).can(user, message)


def who_may_write(user_id: int) -> str:
    """A member's choice of who may start a conversation with them."""
    chosen = db.session.get(MessageSettings, user_id)
    return chosen.who if chosen is not None else WRITE_EVERYONE


def blocks(blocker_id: int, blocked_id: int) -> bool:
    """Whether ``blocker_id`` blocked ``blocked_id``."""
    return db.session.get(Block, (blocker_id, blocked_id)) is not None


def blocked_ids(user) -> set[int]:
    """The members ``user`` blocked."""
    if not is_member(user):
        return set()
    return set(db.session.scalars(select(Block.blocked_id).where(Block.blocker_id == user.id)))


def can_write_to(user, recipient) -> bool:
    """Whether ``user`` may bring ``recipient`` into a conversation (start or add)."""
    if not (is_member(user) and is_member(recipient)) or user.id == recipient.id:
        return False
    if blocks(recipient.id, user.id):
        return False
    if is_admin(user):
        return True  # the Secretariat can always reach a member
    who = who_may_write(recipient.id)
    if who == WRITE_NOBODY:
        return False
    return who != WRITE_GROUPS or bool(member_group_ids(user) & member_group_ids(recipient))


def can_send(user, conversation) -> bool:
    """Present participants write in a conversation."""
    return can_view_conversation(user, conversation)


def can_add_participant(user, conversation) -> bool:
    """Present participants may add someone (who must accept messages from them)."""
    return can_view_conversation(user, conversation)


def can_report_message(user, message) -> bool:
    """Participants report messages they see, except their own."""
    return can_view_message(user, message) and message.author_id != user.id


def can_view_report(user) -> bool:
    """Administrators read reported messages (only those, with their context)."""
    return is_admin(user)


def can_block(user, other) -> bool:
    """A member may block another member they have not blocked yet."""
    return is_member(user) and other.id != user.id and not blocks(user.id, other.id)


PREDICATES = {
    "block_member": can_block,
    "view_conversation": can_view_conversation, "write_to": can_write_to,
    "report_message": can_report_message, "view_message_reports": can_view_report,
}


def register_predicates(app) -> None:
    """Expose the predicates to templates as ``can.write_to(member)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(app, name, predicate)
