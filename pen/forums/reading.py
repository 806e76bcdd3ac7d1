"""Reading the forums: categories, topic lists, topic pages, and how far each member read.

Every list is paginated by the database with an index behind its filter and
order, and costs the same number of queries however many rows it shows.
"""

from sqlalchemy import case, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import lazyload, selectinload

from ..auth.models import User
from ..extensions import db
from ..types import utcnow
from . import permissions
from .models import Category, Post, Topic, TopicRead

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 20
FILTERS = ("all", "solved", "unsolved", "unread")


def categories() -> list[Category]:
    """Every category, in the administrators' order."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def latest_topics(cats: list[Category]) -> dict[int, str]:
    """The title of the latest public topic of each category, by topic id (one query)."""
    ids = [c.last_topic_id for c in cats if c.last_topic_id]
    if not ids:
        return {}
    return dict(db.session.execute(select(Topic.id, Topic.title).where(Topic.id.in_(ids))).all())


def topic_query(user, category: Category | None, show: str = "all"):
    """Topics ``user`` may see, pinned first, then by latest activity."""
    query = select(Topic).where(permissions.visible_topic_clause(user))
    if category is not None:
        query = query.where(Topic.category_id == category.id)
    if show in ("solved", "unsolved"):
        query = query.where(Topic.solved == (show == "solved"))
    elif show == "unread":
        query = query.outerjoin(TopicRead, (TopicRead.topic_id == Topic.id)
                                & (TopicRead.user_id == user.id)).where(or_(
            TopicRead.last_read_number.is_(None),
            TopicRead.last_read_number < Topic.last_post_number))
    return query.order_by(Topic.pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc())


def topic_page(user, category: Category | None, show: str = "all", page: int = 1,
               per_page: int = TOPICS_PER_PAGE):
    """A page of ``topic_query``."""
    return db.paginate(topic_query(user, category, show), page=page, per_page=per_page,
                       error_out=False)


def read_marks(user, topics: list[Topic]) -> dict[int, int]:
    """How far the member read each of these topics (topic id -> post number), one query."""
    ids = [t.id for t in topics]
    if not ids:
        return {}
    return dict(db.session.execute(select(TopicRead.topic_id, TopicRead.last_read_number)
                                   .where(TopicRead.user_id == user.id,
                                          TopicRead.topic_id.in_(ids))).all())


def last_posters(topics: list[Topic]) -> dict[int, str]:
    """Display names of the topics' latest posters (one query)."""
    ids = {t.last_poster_id for t in topics if t.last_poster_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name)
                                   .where(User.id.in_(ids))).all())


def post_query(user, topic: Topic):
    """The posts of a topic ``user`` may see, in order."""
    query = (select(Post).where(Post.topic_id == topic.id)  # the topic is in the session
             .options(lazyload(Post.topic), selectinload(Post.attachments)).order_by(Post.number))
    if permissions.can_moderate_forums(user):
        return query
    return query.where(Post.deleted_at.is_(None),
                       or_(Post.hidden_at.is_(None), Post.author_id == user.id))


def post_page(user, topic: Topic, page: int = 1, per_page: int = POSTS_PER_PAGE):
    """One page of the topic's posts."""
    return db.paginate(post_query(user, topic), page=page, per_page=per_page, error_out=False)


def page_of(user, topic: Topic, number: int, per_page: int = POSTS_PER_PAGE) -> int:
    """The page of the topic on which post ``number`` (or the next visible one) appears."""
    before = post_query(user, topic).where(Post.number < number).order_by(None)
    count = db.session.scalar(select(func.count()).select_from(before.subquery()))
    return count // per_page + 1


def first_unread(user, topic: Topic) -> int:
    """The number of the first post the member has not read (past the end if none)."""
    read = db.session.get(TopicRead, (user.id, topic.id))
    return (read.last_read_number if read else 0) + 1


def accepted_answer(user, topic: Topic) -> Post | None:
    """The accepted answer, if the member may see it."""
    if not topic.accepted_post_id:
        return None
    post = db.session.get(Post, topic.accepted_post_id)
    return post if post is not None and permissions.can_view_post(user, post) else None


def mark_read(user, topic: Topic, number: int) -> None:
    """Remember that the member read up to post ``number``: one statement, one row."""
    if not number:
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
    db.session.execute(stmt)
    db.session.commit()


def allowed_actions(user, topic: Topic, posts: list[Post]) -> dict:
    """What the member may do on this page, asked of the predicates once per post.

    {"topic": {"reply", "moderate", "accept"}, post id: {"edit", "delete", "report"}}.
    """
    checks = {"reply": permissions.can_reply, "moderate": permissions.can_moderate_forums,
              "accept": permissions.can_accept_answer}
    actions: dict = {"topic": {name for name, check in checks.items() if check(user, topic)}}
    post_checks = {"edit": permissions.can_edit_post, "delete": permissions.can_delete_post,
                   "report": permissions.can_report_post}
    for post in posts:
        actions[post.id] = {name for name, check in post_checks.items() if check(user, post)}
    return actions
