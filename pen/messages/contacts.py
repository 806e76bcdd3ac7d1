"""A member's say over who writes to them: everyone, their groups, nobody; blocks."""

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from .models import WRITE_CHOICES, Block, MessageSettings


def set_who_may_write(user, who: str) -> None:
    """Choose who may start a conversation with the member (audited)."""
    if who not in WRITE_CHOICES:
        raise ValidationError(_("Choose one of the options."), field="who")
    settings = db.session.get(MessageSettings, user.id)
    if settings is None:
        settings = MessageSettings(user_id=user.id)
        db.session.add(settings)
    settings.who = who
    audit.record(user, "messages.who_may_write", user, who=who)
    db.session.commit()


def block(user, other) -> None:
    """Block ``other``: they cannot write to the member, whose pages hide their words."""
    if other.id == user.id:
        raise ValidationError(_("You cannot block yourself."))
    if db.session.get(Block, (user.id, other.id)) is None:
        db.session.add(Block(blocker_id=user.id, blocked_id=other.id))
        audit.record(user, "messages.block", other)
        db.session.commit()


def unblock(user, other) -> None:
    """Lift a block."""
    found = db.session.get(Block, (user.id, other.id))
    if found is not None:
        db.session.delete(found)
        audit.record(user, "messages.unblock", other)
        db.session.commit()


def blocked_members(user) -> list:
    """The members ``user`` blocked, by name."""
    members = db.session.scalars(select(User).join(Block, Block.blocked_id == User.id)
                                 .where(Block.blocker_id == user.id))
    return sorted(members, key=lambda u: u.display_name.casefold())


def silenced(recipient_ids: set[int], actor) -> set[int]:
    """Of ``recipient_ids``, those who blocked ``actor`` (a notifications silencer)."""
    if actor is None or not recipient_ids:
        return set()
    return set(db.session.scalars(select(Block.blocker_id).where(
        Block.blocked_id == actor.id, Block.blocker_id.in_(sorted(recipient_ids)))))
