"""Drafts: a topic or reply being written, kept on the server per member and place, so
it survives a reload, a lost connection or another device; gone once posted.

A place is ``"topic:<id>"`` for a reply and ``"category:<id>"`` for a new topic. Saving
is frequent (the composer autosaves), private and undone by posting, so it is not
audited. The limits are those of a post: a draft the site could never post is refused
with the reason, never truncated.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..errors import ValidationError
from ..extensions import db
from .models import Category, Draft, Topic
from .posting import BODY_MAX, TITLE_MAX


def topic_place(topic: Topic) -> str:
    """Where a reply to ``topic`` is drafted."""
    return f"topic:{topic.id}"


def category_place(category: Category) -> str:
    """Where a new topic of ``category`` is drafted."""
    return f"category:{category.id}"


def find(user, place: str) -> Draft | None:
    """The member's draft at ``place``, if any (one primary-key look)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.get(Draft, (user.id, place))


def save(user, place: str, body: str, title: str = "") -> Draft | None:
    """Keep what the member wrote at ``place``; an empty text discards the draft.
    Refused (ValidationError beside the field) when longer than a post may be."""
    body, title = body or "", " ".join((title or "").split())
    if len(body) > BODY_MAX:
        raise ValidationError(_("Your draft has %(n)s characters; the limit is %(max)s. "
                                "Shorten it or attach a document instead.",
                                n=f"{len(body):,}", max=f"{BODY_MAX:,}"), field="body")
    if len(title) > TITLE_MAX:
        raise ValidationError(_("The title has %(n)d characters; the limit is %(max)d.",
                                n=len(title), max=TITLE_MAX), field="title")
    if not body.strip() and not title:
        discard(user, place)
        return None
    draft = find(user, place) or Draft(user_id=user.id, place=place)
    draft.body, draft.title = body, title
    db.session.add(draft)
    db.session.commit()
    return draft


def forget(user, place: str) -> None:
    """Remove the draft at ``place`` in the caller's transaction (the post is saved)."""
    db.session.execute(delete(Draft).where(Draft.user_id == user.id, Draft.place == place))


def discard(user, place: str) -> None:
    """Throw the member's draft at ``place`` away."""
    forget(user, place)
    db.session.commit()


def places_of(user, places: list[str]) -> set[str]:
    """Which of ``places`` hold a draft of the member's (one query)."""
    if not places or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(Draft.place).where(
        Draft.user_id == user.id, Draft.place.in_(places))))
