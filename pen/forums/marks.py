"""What the member has marked on a topic page, read in one statement: how they follow
the topic (watching, muted), what of it they bookmarked, their draft of a reply and
how far they had read it.

Each is at most one row by its primary key (bookmarks: one per post of the page), so
one SELECT outer-joins them all to a single row; it was four statements a page (a
watch, a draft, the bookmarks, the read mark), each with its round trip and its
SQLAlchemy overhead, for the same answers.
"""

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import and_, bindparam, literal, select

from ..extensions import db
from .drafts import topic_place
from .models import Draft, Post, PostBookmark, Topic, TopicBookmark, TopicRead, TopicWatch


@dataclass
class Marks:
    """The member's marks on one page of a topic."""

    level: str = "none"  # "watching", "muted" or "none"
    bookmarked: set = field(default_factory=set)  # "topic" and post ids
    draft: Draft | None = None  # unsaved: read to be shown, never written back
    read: int = 0  # the last post number read (0: never opened)


@cache
def _marks():
    """The statement of ``on_page``, built once per process (building it cost more than
    running it): the member, the topic, the draft's place and the posts are parameters."""
    uid, tid = bindparam("user_id"), bindparam("topic_id")
    one = select(literal(1).label("one")).subquery()
    return (select(PostBookmark.post_id, TopicWatch.level, TopicRead.last_read_number,
                   TopicBookmark.topic_id, Draft.body, Draft.title, Draft.updated_at)
            .select_from(one)
            .outerjoin(TopicWatch, and_(TopicWatch.user_id == uid, TopicWatch.topic_id == tid))
            .outerjoin(TopicRead, and_(TopicRead.user_id == uid, TopicRead.topic_id == tid))
            .outerjoin(TopicBookmark, and_(TopicBookmark.user_id == uid,
                                           TopicBookmark.topic_id == tid))
            .outerjoin(Draft, and_(Draft.user_id == uid, Draft.place == bindparam("place")))
            .outerjoin(PostBookmark, and_(PostBookmark.user_id == uid, PostBookmark.post_id.in_(
                bindparam("post_ids", expanding=True)))))


def on_page(user, topic: Topic, posts: list[Post]) -> Marks:
    """The member's marks on ``topic`` and on these of its posts (one statement)."""
    place = topic_place(topic)
    marks = Marks()
    rows = db.session.execute(_marks(), {"user_id": user.id, "topic_id": topic.id,
                                         "place": place, "post_ids": [p.id for p in posts]})
    for post_id, level, read, topic_mark, body, title, updated_at in rows:
        marks.level, marks.read = level or "none", read or 0
        if topic_mark is not None:
            marks.bookmarked.add("topic")
        if post_id is not None:
            marks.bookmarked.add(post_id)
        if updated_at is not None:
            marks.draft = Draft(user_id=user.id, place=place, body=body, title=title,
                                updated_at=updated_at)
    return marks
