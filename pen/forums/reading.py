"""Reading the forums: categories, topic lists, topic pages, and how far each member read.

Every list is paginated by the database with an index behind its filter and
order, and costs the same number of queries however many rows it shows.
"""

from datetime import timedelta
from functools import cache

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, case, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from ..auth.models import User
from ..extensions import db
from ..types import utcnow
from . import permissions, topic_rows
from .models import Attachment, Category, Post, Topic, TopicRead, TopicTag

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 20
FILTERS = ("all", "solved", "unsolved", "unread", "new", "mine")
NEW_DAYS = 14  # default of FORUM_NEW_DAYS: "New" is topics started this recently, never opened


# What a page shows of an author (name, face, profile link): not their roles or secrets.
AUTHOR_LOAD_ONLY = (User.id, User.display_name, User.avatar_key)
AUTHOR_LOAD = joinedload(Post.author).load_only(*AUTHOR_LOAD_ONLY).lazyload(User.roles)
# What a topic list shows of each topic's author and category: names, faces, links.
LIST_LOADS = (joinedload(Topic.author).load_only(*AUTHOR_LOAD_ONLY).lazyload(User.roles),
              joinedload(Topic.category).load_only(Category.id, Category.name, Category.slug))


def categories() -> list[Category]:
    """Every category, in the administrators' order."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def latest_topics(cats: list[Category]) -> dict[int, str]:
    """The title of the latest public topic of each category, by topic id (one query)."""
    ids = [c.last_topic_id for c in cats if c.last_topic_id]
    if not ids:
        return {}
    return dict(db.session.execute(select(Topic.id, Topic.title).where(Topic.id.in_(ids))).all())


# Pinned first, then by latest activity.
LIST_ORDER = (Topic.pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc())


def topic_query(user, category: Category | None, show: str = "all", tag_id: int | None = None,
                group_id: int | None = None):
    """Topics ``user`` may see (the registered rule), pinned first, then by latest
    activity; in one category or all, one tag or any, one group's or any, narrowed by
    ``show``."""
    query = narrowed(user, category, show, tag_id, group_id)(
        select(Topic).options(*LIST_LOADS))
    return query.order_by(*LIST_ORDER)


def narrowed(user, category: Category | None, show: str = "all", tag_id: int | None = None,
             group_id: int | None = None):
    """What narrows a SELECT from ``Topic`` to the topics ``user`` may see (the registered
    rule), in one category or all, one tag or any, one group's or any, and as ``show`` asks."""

    def narrow(query):
        query = query.where(permissions.visible_topic_clause(user))
        if category is not None:
            query = query.where(Topic.category_id == category.id)
        if group_id is not None:
            query = query.where(Topic.group_id == group_id)
        if tag_id is not None:
            query = query.where(Topic.id.in_(select(TopicTag.topic_id).where(
                TopicTag.tag_id == tag_id)))
        if show in ("solved", "unsolved"):
            query = query.where(Topic.solved == (show == "solved"))
        elif show in ("unread", "new"):
            query = _unread(query, user, show)
        elif show == "mine":
            query = query.where(or_(Topic.author_id == user.id, Topic.id.in_(
                select(Post.topic_id).where(Post.author_id == user.id))))
        return query

    return narrow


def new_days() -> int:
    """How many days a topic nobody showed the member counts as "New" (FORUM_NEW_DAYS)."""
    return int(current_app.config.get("FORUM_NEW_DAYS", NEW_DAYS))


def _unread(query, user, show: str):
    """Topics with posts the member has not read ("unread"), or never opened and
    started lately ("new")."""
    query = query.outerjoin(TopicRead, (TopicRead.topic_id == Topic.id)
                            & (TopicRead.user_id == user.id))
    if show == "new":
        return query.where(TopicRead.last_read_number.is_(None),
                           Topic.created_at >= utcnow() - timedelta(days=new_days()))
    return query.where(or_(TopicRead.last_read_number.is_(None),
                           TopicRead.last_read_number < Topic.last_post_number))


def topic_page(user, category: Category | None, show: str = "all", page: int = 1,
               per_page: int = TOPICS_PER_PAGE, tag_id: int | None = None,
               group_id: int | None = None):
    """A page of the topics of ``topic_query``, as the rows a topic table shows
    (``topic_rows``)."""
    return topic_rows.page_of_rows(narrowed(user, category, show, tag_id, group_id),
                                   LIST_ORDER, page, per_page)


def display_names(user_ids) -> dict[int, str]:
    """Display names of these accounts by id (one query, none for an empty set)."""
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name)
                                   .where(User.id.in_(ids))).all())


@cache
def _topic_posts():
    """Posts ``first`` to ``last`` of the topic ``topic_id``, in order, at most ``count``
    of them, with what the page shows of their authors (names and faces, not roles) and
    without their topic (in the session) or files (``_with_files``). Built once per
    process: building it cost more than running it."""
    return (select(Post).where(Post.topic_id == bindparam("topic_id"),
                               Post.number.between(bindparam("first"), bindparam("last")))
            .options(lazyload(Post.topic), lazyload(Post.attachments), AUTHOR_LOAD)
            .order_by(Post.number).limit(bindparam("count")))


@cache
def _files_of_posts():
    """The files of the posts ``post_ids``, in the order ``Post.attachments`` has."""
    return (select(Attachment).where(Attachment.post_id.in_(bindparam("post_ids",
                                                                      expanding=True)))
            .options(lazyload(Attachment.post)).order_by(Attachment.id))


def _with_files(posts: list[Post]) -> list[Post]:
    """The posts with their files loaded as their ``attachments`` (one statement)."""
    files: dict[int, list[Attachment]] = {post.id: [] for post in posts}
    if posts:
        for found in db.session.scalars(_files_of_posts(), {"post_ids": list(files)}):
            files[found.post_id].append(found)
    for post in posts:
        set_committed_value(post, "attachments", files[post.id])
    return posts


def visible_post_clause(user):
    """Which posts of a topic its page lists for ``user``: those the post rule lets them
    see (its topic's part was checked by the page) and, as a stub to restore, replies
    they deleted lately (a listing choice, not visibility: the stub shows no words)."""
    own_deleted = ((Post.author_id == user.id) & (Post.deleted_by_id == user.id)
                   & (Post.deleted_at >= utcnow() - timedelta(days=permissions.restore_days())))
    return or_(permissions.within_visible_topic_clause(user), own_deleted)


def first_visible_number(user, topic: Topic, number: int) -> int | None:
    """The number of the first post from ``number`` on that ``user`` sees (None if none)."""
    return db.session.scalar(select(func.min(Post.number)).where(
        Post.topic_id == topic.id, Post.number >= number, visible_post_clause(user)))


class NumberedPagination(Pagination):
    """A topic's pages by post number: page n holds numbers (n-1)·per_page+1 to
    n·per_page. A post stays on its page when earlier ones are deleted, hidden or
    split off (links and read marks do not move), and every page, first or last, is
    one range of the (topic, number) index: no count, no offset."""

    def _query_items(self) -> list[Post]:
        """The visible posts whose numbers fall on this page.

        The LIMIT changes no result (numbers are unique in a topic) but tells PostgreSQL
        how few rows come: without it, in a long topic, it took the page for most of the
        topic and hashed every account to join the authors (46 ms at 55,000 members
        instead of 0.5)."""
        first = (self.page - 1) * self.per_page + 1
        posts = db.session.scalars(self._query_args["select"], {
            "topic_id": self._query_args["topic_id"], "first": first,
            "last": first + self.per_page - 1, "count": self.per_page})
        return _with_files(list(posts))

    def _query_count(self) -> int:
        """The "total" the pages are cut from: the highest number given in the topic."""
        return self._query_args["last_number"]


def post_page(user, topic: Topic, page: int = 1, per_page: int = POSTS_PER_PAGE):
    """One page of the topic's posts (see ``NumberedPagination``)."""
    return NumberedPagination(page=page, per_page=per_page, max_per_page=None, error_out=False,
                              select=_topic_posts().where(visible_post_clause(user)),
                              topic_id=topic.id, last_number=topic.last_number)


def page_of(number: int, per_page: int = POSTS_PER_PAGE) -> int:
    """The page of a topic on which post ``number`` appears."""
    return max(0, number - 1) // per_page + 1


def first_unread(user, topic: Topic) -> int:
    """The number of the first post the member has not read (past the end if none)."""
    read = db.session.get(TopicRead, (user.id, topic.id))
    return (read.last_read_number if read else 0) + 1


def accepted_answer(user, topic: Topic) -> Post | None:
    """The accepted answer, if the member may see it."""
    if not topic.accepted_post_id:
        return None
    post = db.session.get(Post, topic.accepted_post_id, options=[AUTHOR_LOAD])
    return post if post is not None and permissions.can_view_post(user, post) else None


def mark_read(user, topic: Topic, number: int, read: int | None = None) -> None:
    """Remember that the member read up to post ``number``, when that is further than
    before (``read``, when the page read it already: ``marks.on_page``): a re-read of the
    same page reads the mark (in the page's own transaction) and writes nothing.

    The one write of a page view, which the issue asks for (unread tracking per member
    and topic): it changes nothing but the reader's own read mark."""
    if read is None:
        read = _read_number(user, topic)
    if not number or read >= number:
        return
    table = TopicRead.__table__
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    stmt = insert.values(user_id=user.id, topic_id=topic.id, last_read_number=number,
                         read_at=utcnow())
    stmt = stmt.on_conflict_do_update(index_elements=["user_id", "topic_id"], set_={
        "last_read_number": case((table.c.last_read_number < number, number),
                                 else_=table.c.last_read_number),
        "read_at": stmt.excluded.read_at,
    }, where=table.c.last_read_number < number)
    # Its own short transaction on its own connection: the session's objects stay loaded
    # for the rest of the request, and on PostgreSQL the commit does not wait for the
    # disk (a read mark lost in a crash is harmless; the wait was the page's slowest part).
    # The statement still only moves the mark forward (another tab may have moved it).
    with db.engine.begin() as connection:
        if dialect == "postgresql":
            connection.execute(text("SET LOCAL synchronous_commit TO OFF"))
        connection.execute(stmt)


def _read_number(user, topic: Topic) -> int:
    """How far the member has read the topic (0: never opened), one small query."""
    return db.session.scalar(select(TopicRead.last_read_number).where(
        TopicRead.user_id == user.id, TopicRead.topic_id == topic.id)) or 0


def allowed_actions(user, topic: Topic, posts: list[Post]) -> dict:
    """What the member may do on this page: the topic's actions, and each post's from
    the topic's facts asked once (``permissions.post_actions``).

    {"topic": {"reply", "moderate", "accept"},
     post id: {"edit", "delete", "report", "restore", "react"}}.
    """
    checks = {"reply": permissions.can_reply, "moderate": permissions.can_moderate_forums,
              "accept": permissions.can_accept_answer}
    actions: dict = {"topic": {name for name, check in checks.items() if check(user, topic)}}
    actions.update(permissions.post_actions(user, topic, posts))
    return actions
