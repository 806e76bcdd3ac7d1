"""Conversations: start one, write, add a participant, leave, read.

A participant added later sees the whole conversation (see ``models``); one who
left sees it no more, and may be added again. Every message notifies the other
present participants (not those who blocked its author) in the site and by
email as each chose; its words go into the search index, found only by the
participants (the registered "message" rule).
"""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit, notifications, search
from ..auth.models import User, UserStatus
from ..auth.permissions import is_admin
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..types import utcnow
from . import permissions, writing
from .models import Block, Conversation, Message, Participant
from .permissions import CONVERSATION_KIND, MESSAGE_KIND


def max_participants() -> int:
    """``MESSAGES_MAX_PARTICIPANTS``: the largest conversation, its starter included."""
    return int(current_app.config["MESSAGES_MAX_PARTICIPANTS"])


def start(author, recipients: list, subject: str, body: str,
          uploads: list[writing.Upload] = ()) -> Conversation:
    """Start a conversation with ``recipients`` and its first message."""
    recipients = _distinct(recipients, author)
    if not recipients:
        raise ValidationError(_("Choose at least one member to write to."), field="others")
    if len(recipients) + 1 > max_participants():
        raise ValidationError(_("A conversation has at most %(n)d participants.",
                                n=max_participants()), field="others")
    _check_may_write(author, recipients)
    _check_daily_limit(author)
    subject, body = writing.check_subject(subject), writing.check_body(body)
    checked = writing.check_uploads(list(uploads))
    now = utcnow()
    conversation = Conversation(subject=subject, created_by_id=author.id, created_at=now,
                                last_message_at=now)
    for member in [author, *recipients]:
        conversation.participants.append(Participant(user_id=member.id, joined_at=now))
    db.session.add(conversation)
    _message, stored = _add_message(conversation, author, body, checked)
    audit.record(author, "messages.start", conversation,
                 participants=sorted(m.id for m in recipients))
    writing.commit_or_remove(stored)
    return conversation


def _distinct(members: list, author) -> list:
    """The members once each, without the author."""
    seen, kept = {author.id}, []
    for member in members:
        if member.id not in seen:
            seen.add(member.id)
            kept.append(member)
    return kept


def _check_may_write(author, recipients: list, field: str = "others") -> None:
    """Refuse, naming them, members who do not accept messages from ``author``."""
    refused = [m.display_name for m in recipients if not permissions.can_write_to(author, m)]
    if refused:
        raise ValidationError(_("These members do not accept messages from you: %(names)s.",
                                names=", ".join(refused)), field=field)


def _check_daily_limit(author) -> None:
    """At most ``MESSAGES_NEW_PER_DAY`` new conversations a day (the Secretariat is free)."""
    limit = int(current_app.config["MESSAGES_NEW_PER_DAY"])
    if is_admin(author):
        return
    started = db.session.scalar(select(func.count(Conversation.id)).where(
        Conversation.created_by_id == author.id,
        Conversation.created_at > utcnow() - timedelta(days=1)))
    if started >= limit:
        raise ValidationError(_("You have started %(n)d conversations in the last 24 hours, "
                                "the most allowed; write in an existing one or try tomorrow.",
                                n=limit), field="others")


def send(author, conversation: Conversation, body: str,
         uploads: list[writing.Upload] = ()) -> Message:
    """Write in a conversation the author is part of."""
    if not permissions.can_view_conversation(author, conversation):
        raise NotFound()
    body = writing.check_body(body)
    checked = writing.check_uploads(list(uploads))
    message, stored = _add_message(conversation, author, body, checked)
    audit.record(author, "messages.send", message)
    writing.commit_or_remove(stored)
    return message


def _add_message(conversation, author, body: str, checked) -> tuple[Message, list[str]]:
    """The message, its index row, the author's read mark and the others' notifications."""
    message, stored = writing.new_message(conversation, author, body, checked)
    now = utcnow()
    message.created_at = conversation.last_message_at = now
    db.session.flush()
    search.enqueue(MESSAGE_KIND, message.id)
    _participant(conversation, author).last_read_at = now
    _notify(conversation, message)
    return message, stored


def _notify(conversation: Conversation, message: Message) -> None:
    """Tell the other present participants, except those who blocked the author."""
    blockers = set(db.session.scalars(select(Block.blocker_id).where(
        Block.blocked_id == message.author_id)))
    recipients = [p.user_id for p in conversation.participants
                  if p.left_at is None and p.user_id not in blockers]
    target = notifications.Target(CONVERSATION_KIND, conversation.id, conversation.subject,
                                  notifications.path_for("messages.conversation",
                                                         conversation_id=conversation.id))
    notifications.notify(recipients, "message.new", target, actor=message.author,
                         excerpt=message.body,
                         can_see=lambda u: permissions.can_view_conversation(u, conversation))


def _participant(conversation: Conversation, user) -> Participant | None:
    """The user's row in the conversation (present or not), if any."""
    return next((p for p in conversation.participants if p.user_id == user.id), None)


def present_count(conversation: Conversation) -> int:
    """How many participants have not left."""
    return sum(1 for p in conversation.participants if p.left_at is None)


def add_participant(actor, conversation: Conversation, member) -> None:
    """Bring ``member`` in: they see the whole conversation, from its first message."""
    if not permissions.can_add_participant(actor, conversation):
        raise NotFound()
    row = _participant(conversation, member)
    if row is not None and row.left_at is None:
        raise ValidationError(_("%(name)s is already in this conversation.",
                                name=member.display_name), field="member")
    if present_count(conversation) >= max_participants():
        raise ValidationError(_("A conversation has at most %(n)d participants.",
                                n=max_participants()), field="member")
    _check_may_write(actor, [member], field="member")
    if row is None:
        conversation.participants.append(Participant(user_id=member.id, joined_at=utcnow()))
    else:
        row.joined_at, row.left_at, row.last_read_at = utcnow(), None, None
    _reindex(conversation)
    audit.record(actor, "messages.add_participant", conversation, member=member.id)
    db.session.commit()


def leave(user, conversation: Conversation) -> None:
    """Leave: the member no longer sees the conversation nor hears of it."""
    row = _participant(conversation, user)
    if row is None or row.left_at is not None:
        raise NotFound()
    row.left_at = utcnow()
    _reindex(conversation)
    audit.record(user, "messages.leave", conversation)
    db.session.commit()


def _reindex(conversation: Conversation) -> None:
    """Who may find its messages changed: every message goes through the index again."""
    db.session.flush()
    for message_id in db.session.scalars(select(Message.id).where(
            Message.conversation_id == conversation.id)):
        search.enqueue(MESSAGE_KIND, message_id)


def mark_read(user, conversation: Conversation) -> None:
    """Remember that the member has read the conversation up to now."""
    row = _participant(conversation, user)
    if row is not None and row.left_at is None:
        row.last_read_at = utcnow()
        db.session.commit()


def conversation_or_none(user, conversation_id: int) -> Conversation | None:
    """The conversation if ``user`` may see it (None otherwise, as if it did not exist)."""
    found = db.session.get(Conversation, conversation_id)
    return found if permissions.can_view_conversation(user, found) else None



def members_named(text: str, field: str = "others") -> list:
    """The active members named on each line of ``text`` (display names, any case);
    a ValidationError naming the lines that match nobody, or several members."""
    names = [" ".join(line.split()) for line in (text or "").replace(",", "\n").splitlines()]
    found, unclear = [], []
    for name in filter(None, names):
        matches = list(db.session.scalars(select(User).where(
            func.lower(User.display_name) == name.lower(),
            User.status == UserStatus.ACTIVE).limit(2)))
        (found.append(matches[0]) if len(matches) == 1 else unclear.append(name))
    if unclear:
        raise ValidationError(_("No single member is called: %(names)s. Write their name "
                                "as their profile shows it.", names=", ".join(unclear)),
                              field=field)
    return found
