"""A member's forum activity on their profile: recent topics and replies, each through
the registered visibility rules for the one looking, and the reactions they received."""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from . import permissions
from .models import Post, Reaction, Topic
from .reactions import LABELS

RECENT = 5


def recent_topics(viewer, profile):
    """("Recent topics", [(title, link)]) of the topics the viewer may see."""
    rows = db.session.execute(select(Topic.id, Topic.title).where(
        Topic.author_id == profile.user_id, permissions.visible_topic_clause(viewer))
        .order_by(Topic.created_at.desc(), Topic.id.desc()).limit(RECENT)).all()
    return _("Recent topics"), [(title, url_for("forums.topic", topic_id=topic_id))
                                for topic_id, title in rows]


def recent_posts(viewer, profile):
    """("Recent replies", [(topic title, link)]) of the replies the viewer may see."""
    rows = db.session.execute(select(Post.id, Topic.title).join(Topic, Topic.id == Post.topic_id)
                              .where(Post.author_id == profile.user_id, Post.number > 1,
                                     permissions.visible_post_clause(viewer))
                              .order_by(Post.created_at.desc(), Post.id.desc())
                              .limit(RECENT)).all()
    return _("Recent replies"), [(title, url_for("forums.post_link", post_id=post_id))
                                 for post_id, title in rows]


def reactions_received(viewer, profile):
    """("Reactions received", [(“👍 Thanks: 3”, None)]) on posts the viewer may see."""
    counts = dict(db.session.execute(
        select(Reaction.kind, func.count()).join(Post, Post.id == Reaction.post_id)
        .where(Post.author_id == profile.user_id, Reaction.user_id != profile.user_id,
               permissions.visible_post_clause(viewer))
        .group_by(Reaction.kind)).all())
    return _("Reactions received"), [(f"{LABELS[kind][0]} {LABELS[kind][1]}: {n}", None)
                                     for kind, n in counts.items() if kind in LABELS]


def register(app) -> None:
    """Add the three panels to every profile page."""
    from ..members.views import register_profile_section

    for provider in (recent_topics, recent_posts, reactions_received):
        register_profile_section(app, provider)
