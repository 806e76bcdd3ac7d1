"""Reactions to posts: a toggle per member, kind and post; counts, names and the
author's one grouped notification. A reaction is never a post: it changes no counter,
no "latest activity" and no read mark."""

from dataclasses import dataclass, field
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update

from .. import audit, notifications
from ..auth.models import User
from ..errors import Forbidden, ValidationError
from ..extensions import db
from . import permissions
from .models import REACTION_KINDS, Post, Reaction, Topic

NOTIFICATION_KIND = "forum.reaction"
# What each kind shows: a sign and its name (the name is what screen readers say).
LABELS = {"thanks": ("👍", _l("Thanks")), "helpful": ("💡", _l("Helpful")),
          "agree": ("✅", _l("Agree"))}


@dataclass
class Tally:
    """One kind of reaction on one post: how many, who, and whether the reader is one."""

    kind: str
    names: list[str] = field(default_factory=list)
    mine: bool = False

    @property
    def count(self) -> int:
        """How many members reacted so."""
        return len(self.names)


def toggle(actor, post: Post, kind: str) -> bool:
    """Add the member's reaction of ``kind`` to ``post``, or take it back if given;
    returns whether it is now given. The caller checked the post is visible (404)."""
    if kind not in REACTION_KINDS:
        raise ValidationError(_("Choose one of the reactions offered."), "kind")
    if not permissions.can_react(actor, post):
        raise Forbidden(_("You may not react to this post."))
    given = db.session.get(Reaction, (post.id, actor.id, kind))
    if given is not None:
        db.session.delete(given)
    else:
        db.session.add(Reaction(post_id=post.id, user_id=actor.id, kind=kind))
        db.session.flush()
        _tell_author(post, actor)
    _count_on_topic(post, -1 if given is not None else 1)
    audit.record(actor, "forum.reaction_removed" if given else "forum.reaction", post,
                 kind=kind)
    db.session.commit()
    return given is None


def _count_on_topic(post: Post, change: int) -> None:
    """Move the topic's count of reactions to its visible posts (``Topic.reaction_count``,
    which ``posting.recount_topic`` derives again when a post is hidden, deleted or moved)
    in the database itself, so two members reacting at once both count."""
    if post.is_public:
        db.session.execute(update(Topic).where(Topic.id == post.topic_id).values(
            reaction_count=Topic.reaction_count + change))


def _tell_author(post: Post, actor) -> None:
    """One notification per post for its author, reworded as reactions come."""
    if post.author_id is None or post.author_id == actor.id:
        return
    others = db.session.scalar(select(func.count(func.distinct(Reaction.user_id))).where(
        Reaction.post_id == post.id, Reaction.user_id != post.author_id)) - 1
    wording = notifications.sentence(
        "%(name)s reacted to your post in %(topic)s", name=actor.display_name,
        topic=post.topic.title) if others < 1 else notifications.sentence(
        "%(name)s and %(count)d more reacted to your post in %(topic)s",
        name=actor.display_name, count=others, topic=post.topic.title)
    target = notifications.Target(permissions.POST_KIND, post.id, wording,
                                  notifications.path_for("forums.post_link", post_id=post.id))
    notifications.notify_grouped(post.author_id, NOTIFICATION_KIND, target, actor=actor,
                                 can_see=lambda user: permissions.can_view_post(user, post))


@cache
def _of_posts():
    """The statement of ``tallies``, built once per process (``post_ids`` a parameter)."""
    return (select(Reaction.post_id, Reaction.kind, Reaction.user_id, User.display_name)
            .join(User, User.id == Reaction.user_id)
            .where(Reaction.post_id.in_(bindparam("post_ids", expanding=True)))
            .order_by(Reaction.created_at, Reaction.user_id))


def tallies(user, post_ids) -> dict[int, list[Tally]]:
    """The reactions of these posts (already filtered by what ``user`` sees), kind by
    kind in the fixed order, with the names of who gave them; one query."""
    ids = list(post_ids)
    found: dict[int, dict[str, Tally]] = {}
    if ids:
        rows = db.session.execute(_of_posts(), {"post_ids": ids})
        for post_id, kind, user_id, name in rows:
            tally = found.setdefault(post_id, {}).setdefault(kind, Tally(kind))
            tally.names.append(name)
            tally.mine = tally.mine or user_id == getattr(user, "id", None)
    return {post_id: [found.get(post_id, {}).get(kind) or Tally(kind) for kind in REACTION_KINDS]
            for post_id in ids}
