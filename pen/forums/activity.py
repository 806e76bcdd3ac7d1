"""The forums' part of the activity feed: new topics and replies a member may see.

Registered with ``pen.activity``; filtered by the registered "forum_topic" rule,
narrowed to what news shows (no deleted topic, even for moderators; only public
posts), as ``permissions`` says it once.
"""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import exists, literal_column, select

from .. import activity
from ..visibility import rule_for
from . import permissions
from .models import Post, Topic


def _news_topic_clause(user):
    """Topics the member sees by the registered rule, less deleted ones."""
    return rule_for(permissions.TOPIC_KIND).clause(user) & permissions.live_topic_clause()


def _topics(user, query: activity.Query) -> activity.Branch:
    """New topics the member sees."""
    return activity.Branch(
        select(*activity.row(TOPICS, Topic.created_at, Topic.id, Topic.title, Topic.group_id,
                             Topic.author_id, Topic.id, literal_column("1")))
        .where(_news_topic_clause(user)), Topic.created_at, Topic.id)


def _replies(user, query: activity.Query) -> activity.Branch:
    """Public replies in topics the member sees.

    The topic is asked per reply (EXISTS and scalar subqueries), not joined: with a
    join, SQLite scans every visible topic and sorts all their replies (40 ms at
    50,000 posts); this way both databases walk the replies newest first and stop.
    """
    def of_topic(column):
        """One column of the reply's topic, as a scalar subquery."""
        return select(column).where(Topic.id == Post.topic_id).scalar_subquery()

    shown = exists().where(Topic.id == Post.topic_id, _news_topic_clause(user))
    return activity.Branch(
        select(*activity.row(REPLIES, Post.created_at, Post.id, of_topic(Topic.title),
                             of_topic(Topic.group_id), Post.author_id, Post.topic_id,
                             Post.number))
        .where(shown, Post.number > 1, permissions.public_post_clause()),
        Post.created_at, Post.id)


def _describe_topic(item, group) -> tuple[Markup, str]:
    """A new topic: its first post."""
    url = url_for("forums.topic", topic_id=item.ref)
    parts = {"member": activity.someone(item), "topic": activity.link(url, item.title)}
    if group is None:
        return activity.fill(_("%(member)s started the topic %(topic)s"), **parts), url
    return activity.fill(_("%(member)s started the topic %(topic)s in the group %(group)s"),
                         group=group, **parts), url


def _describe_reply(item, group) -> tuple[Markup, str]:
    """A reply: the post itself."""
    url = url_for("forums.post_link", post_id=item.a)
    parts = {"member": activity.someone(item), "topic": activity.link(url, item.title)}
    if group is None:
        return activity.fill(_("%(member)s replied to %(topic)s"), **parts), url
    return activity.fill(_("%(member)s replied to %(topic)s in the group %(group)s"),
                         group=group, **parts), url


TOPICS = activity.Source("topic", "forums", 0, _topics, _describe_topic,
                         group_column=Topic.group_id)
REPLIES = activity.Source("reply", "forums", 1, _replies, _describe_reply,
                          group_column=Post.group_id)


def register(app) -> None:
    """Add the forums' sources to the feed."""
    activity.register_source(app, TOPICS)
    activity.register_source(app, REPLIES)
