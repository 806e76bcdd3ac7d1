"""What a topic list shows beside the topics, in two statements whatever the number of
topics: per topic the member's read mark (unread counts), its latest poster's name and
face and its reactions (one SELECT over the page's topics), and the tags; and the
table's links and words, built once (``links``, ``words``)."""

from functools import cache

from sqlalchemy import bindparam, select

from ..auth.models import User
from ..avatars import Face
from ..extensions import db
from . import links, tags, words
from .models import Topic, TopicRead


def context(user, topics: list) -> dict:
    """The template values every topic table needs (``forums/_topic_table.html``)."""
    ids = [t.id for t in topics]
    reads, posters, totals = beside(user, ids)
    return {"reads": reads, "posters": posters, "reaction_totals": totals,
            "topic_tags": tags.by_topic(ids), "links": links.topic_table(),
            "words": words.table_words()}


@cache
def _beside():
    """The statement of ``beside``, built once per process (building it cost more than
    running it): the member and the topics are its parameters."""
    read = select(TopicRead.last_read_number).where(
        TopicRead.user_id == bindparam("user_id"), TopicRead.topic_id == Topic.id)
    return (select(Topic.id, read.scalar_subquery(), Topic.reaction_count, User.id,
                   User.display_name, User.avatar_key)
            .outerjoin(User, User.id == Topic.last_poster_id)
            .where(Topic.id.in_(bindparam("topic_ids", expanding=True))))


def beside(user, topic_ids: list[int]) -> tuple[dict, dict, dict]:
    """For these topics, one SELECT: how far the member read each (topic id -> post
    number, read ones only), their latest posters with what a name and a face need (by
    user id) and the reactions on the posts every reader sees (topic id -> count, kept on
    the topic: ``Topic.reaction_count``)."""
    if not topic_ids:
        return {}, {}, {}
    reads, posters, totals = {}, {}, {}
    rows = db.session.execute(_beside(), {"user_id": user.id, "topic_ids": topic_ids})
    for topic_id, number, total, poster_id, name, avatar_key in rows:
        if number is not None:
            reads[topic_id] = number
        if poster_id is not None:
            posters[poster_id] = Face(poster_id, name, avatar_key)
        if total:
            totals[topic_id] = total
    return reads, posters, totals
