"""The network's activity feed: what happened, newest first, only what the member may see.

Why a UNION ALL and not an activity table: every kind of news already lives in
its own table with a creation time (topics, posts, documents, versions, group
memberships, meetings, work-plan activities, announced award cycles), and each
area already owns the one SQL visibility clause of its objects (the registered
``pen.visibility`` rules "forum_topic" and "library_work", group membership, a
cycle's ``announced_at``); the feed asks ``rule_for(kind).clause(user)`` and
never restates them. Asking those tables directly means the feed can never
disagree with the areas: a topic deleted, a document moved to "administrators
only", a member leaving a group or results withdrawn drop out of the feed at
once, with nothing to keep in step and no write path in four other areas.

One page is ONE statement. Each branch selects one kind with its visibility
and filter conditions, seeks past the cursor and keeps only ``limit`` rows
(ordered by its creation time, so an index on that column serves it); the
branches are concatenated, ordered by ``(at, source, a, b)`` and cut to the
page, and the authors and groups are joined once on the result. Pagination is a
keyset on that tuple: page 100 costs what page 1 costs.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Integer,
    String,
    and_,
    cast,
    exists,
    literal_column,
    null,
    select,
    text,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from ..auth.models import User, UserStatus
from ..auth.permissions import is_member
from ..awards.models import AwardCycle
from ..extensions import db
from ..forums.models import Post, Topic
from ..forums.permissions import live_topic_clause, public_post_clause
from ..groups.models import Activity, Group, GroupMembership, Meeting
from ..groups.permissions import member_group_ids, sees_all_groups
from ..library.models import Document, Version, Work
from ..types import UTCDateTime
from ..visibility import rule_for

PAGE_SIZE = 30

# The filters a member can pick, each naming the sources it shows.
KINDS = {
    "forums": ("topic", "reply"),
    "library": ("document", "version"),
    "members": ("member",),
    "groups": ("group_join", "meeting", "plan"),
    "awards": ("award",),
}
SCOPES = ("all", "mine")


class BadCursor(ValueError):
    """A ``before`` value that was not made by this feed."""


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the sort key of its last item."""

    at: datetime
    source: str
    a: int
    b: int

    def encode(self) -> str:
        """The cursor as a URL value."""
        return f"{self.at.isoformat()}~{self.source}~{self.a}~{self.b}"

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        """Parse ``encode``'s output; ``BadCursor`` for anything else."""
        try:
            at, source, a, b = value.split("~")
            moment = datetime.fromisoformat(at)
            if moment.tzinfo is None or source not in _SOURCES:
                raise ValueError(value)
            return cls(moment, source, int(a), int(b))
        except ValueError as error:
            raise BadCursor(value) from error


@dataclass(frozen=True)
class Item:
    """One line of the feed, as read from the database (links are made by the view)."""

    at: datetime
    source: str
    rank: int
    a: int
    b: int
    title: str
    group_id: int | None
    ref: int | None
    number: int | None
    actor_id: int | None
    actor_name: str | None
    group_name: str | None
    group_slug: str | None

    @property
    def cursor(self) -> Cursor:
        """The cursor that continues after this item."""
        return Cursor(self.at, self.source, self.a, self.b)


@dataclass(frozen=True)
class Page:
    """A page of the feed and the cursor of the next one (None on the last page)."""

    items: list[Item]
    next_cursor: Cursor | None


@dataclass(frozen=True)
class Query:
    """What the member asked for: scope, kinds, and where the previous page ended."""

    scope: str = "all"
    kinds: tuple[str, ...] = ()
    before: Cursor | None = None
    limit: int = PAGE_SIZE


def _text(value: str):
    """A constant string column (inlined: the sources are ours, never user input)."""
    return cast(literal_column(f"'{value}'"), String(12))


def _no_int():
    """An integer column that a branch has no value for."""
    return cast(null(), Integer)


def _row(at, source: str, a, title, group_id, actor_id, ref, number, b=None) -> list:
    """The columns every branch selects, in the same order and with the same names."""
    return [type_coerce(at, UTCDateTime).label("at"), _text(source).label("source"),
            literal_column(str(_RANK[source])).label("rank"), a.label("a"),
            (b if b is not None else literal_column("0")).label("b"),
            cast(title, String(300)).label("title"), group_id.label("group_id"),
            actor_id.label("actor_id"), ref.label("ref"), number.label("number")]


def _group_filter(group_column, user, query: Query):
    """Group content: only the member's groups (all of them for administrators)."""
    mine = sorted(member_group_ids(user))
    if query.scope == "mine":
        return group_column.in_(mine)
    return true() if sees_all_groups(user) else group_column.in_(mine)


def _news_topic_clause(user):
    """The registered topic rule, less deleted topics: news never shows those, even to
    the moderators who may open them."""
    return rule_for("forum_topic").clause(user) & live_topic_clause()


def _topics(user, query: Query):
    """New topics the member sees (deleted ones never, even for moderators)."""
    clause = _news_topic_clause(user)
    return (select(*_row(Topic.created_at, "topic", Topic.id, Topic.title, Topic.group_id,
                         Topic.author_id, Topic.id, literal_column("1")))
            .where(clause), Topic.created_at, Topic.id, None)


def _replies(user, query: Query):
    """Replies neither deleted nor hidden, in topics the member sees.

    The topic is asked per reply (EXISTS and scalar subqueries), not joined: with a
    join, SQLite scans every visible topic and sorts all their replies (40 ms at
    50,000 posts); this way both databases walk the replies newest first and stop.
    """
    shown = _news_topic_clause(user)

    def of_topic(column):
        return select(column).where(Topic.id == Post.topic_id).scalar_subquery()

    return (select(*_row(Post.created_at, "reply", Post.id, of_topic(Topic.title),
                         of_topic(Topic.group_id), Post.author_id, Post.topic_id, Post.number))
            .where(exists().where(Topic.id == Post.topic_id, shown), Post.number > 1,
                   public_post_clause()),
            Post.created_at, Post.id, None)


def _work_clause(user, query: Query):
    """The library's visibility rule, narrowed to the member's groups for "mine"."""
    clause = rule_for("library_work").clause(user)
    if query.scope == "mine":
        clause &= Work.group_id.in_(sorted(member_group_ids(user)))
    return clause


def _documents(user, query: Query):
    """New editions of works the member sees; ``number`` says 1 when the work had one."""
    earlier = aliased(Document)
    is_edition = exists().where(earlier.work_id == Document.work_id, earlier.id < Document.id)
    edition_flag = cast(is_edition, Integer)
    return (select(*_row(Document.created_at, "document", Document.id, Document.title,
                         Work.group_id, Document.uploaded_by_id, Document.id, edition_flag))
            .join(Work, Work.id == Document.work_id).where(_work_clause(user, query)),
            Document.created_at, Document.id, None)


def _versions(user, query: Query):
    """New versions (beyond the first) of the files of editions the member sees.

    ``number > 1`` is written as the partial index ``ix_library_versions_later`` states
    it (a literal, not a parameter), so both databases walk that small index.
    """
    return (select(*_row(Version.created_at, "version", Version.id, Document.title,
                         Work.group_id, Version.uploaded_by_id, Document.id, Version.number))
            .select_from(Version)
            .join(Document, Document.id == Version.document_id)
            .join(Work, Work.id == Document.work_id)
            .where(_work_clause(user, query), text("library_versions.number > 1")),
            Version.created_at, Version.id, None)


def _members(user, query: Query):
    """Active accounts, when they joined (were created active or accepted their invitation)."""
    return (select(*_row(User.activated_at, "member", User.id, User.display_name, _no_int(),
                         User.id, User.id, _no_int()))
            .where(User.status == UserStatus.ACTIVE, User.activated_at.is_not(None)),
            User.activated_at, User.id, None)


def _group_joins(user, query: Query):
    """Members joining the groups whose news the member may see."""
    m = GroupMembership
    return (select(*_row(m.joined_at, "group_join", m.group_id, literal_column("''"),
                         m.group_id, m.user_id, m.group_id, _no_int(), b=m.user_id))
            .where(_group_filter(m.group_id, user, query)), m.joined_at, m.group_id, m.user_id)


def _meetings(user, query: Query):
    """Meetings planned in the groups whose news the member may see."""
    return (select(*_row(Meeting.created_at, "meeting", Meeting.id, Meeting.title,
                         Meeting.group_id, _no_int(), Meeting.id, _no_int()))
            .where(_group_filter(Meeting.group_id, user, query)),
            Meeting.created_at, Meeting.id, None)


def _plan(user, query: Query):
    """Work-plan items added in the groups whose news the member may see."""
    return (select(*_row(Activity.created_at, "plan", Activity.id, Activity.title,
                         Activity.group_id, _no_int(), Activity.id, _no_int()))
            .where(_group_filter(Activity.group_id, user, query)),
            Activity.created_at, Activity.id, None)


def _awards(user, query: Query):
    """Announced cycles only: results are news once published, never before."""
    return (select(*_row(AwardCycle.announced_at, "award", AwardCycle.id, AwardCycle.name,
                         _no_int(), _no_int(), AwardCycle.id, _no_int()))
            .where(AwardCycle.announced_at.is_not(None)),
            AwardCycle.announced_at, AwardCycle.id, None)


_SOURCES = {"topic": _topics, "reply": _replies, "document": _documents,
            "version": _versions, "member": _members, "group_join": _group_joins,
            "meeting": _meetings, "plan": _plan, "award": _awards}
# A fixed order of the sources, to break ties between items of the same moment.
_RANK = {source: rank for rank, source in enumerate(_SOURCES)}
_GROUPLESS = {"member", "award"}  # not shown under "my groups"
_SOUGHT_BY_GROUP = {"topic": Topic.group_id, "reply": Post.group_id}


def _after_cursor(source: str, at, a, b, cursor: Cursor | None):
    """The branch's part of ``(at, source, a, b) < cursor``, with ``source`` known here."""
    if cursor is None:
        return true()
    if _RANK[source] < _RANK[cursor.source]:
        return at <= cursor.at
    if _RANK[source] > _RANK[cursor.source]:
        return at < cursor.at
    same = a < cursor.a if b is None else (a < cursor.a) | ((a == cursor.a) & (b < cursor.b))
    return (at < cursor.at) | and_(at == cursor.at, same)


def _sources(query: Query) -> list[str]:
    """The sources a query asks for (the filters' kinds; groupless ones drop for "mine")."""
    wanted = [s for kind in query.kinds for s in KINDS.get(kind, ())] or list(_SOURCES)
    return [s for s in wanted if not (query.scope == "mine" and s in _GROUPLESS)]


def _branch(user, source: str, query: Query):
    """One kind's newest rows past the cursor, as a subquery.

    Under "my groups", topics and replies are sought group by group (an index on
    ``(group_id, created_at, id)`` each): walking all of them newest first until a
    few belong to the member's groups reads the whole table when those groups are quiet.
    """
    select_, at, a, b = _SOURCES[source](user, query)
    order = [at.desc(), a.desc()] + ([b.desc()] if b is not None else [])
    select_ = select_.where(_after_cursor(source, at, a, b, query.before))
    group_column = _SOUGHT_BY_GROUP.get(source)
    if query.scope != "mine" or group_column is None:
        return select_.order_by(*order).limit(query.limit + 1).subquery(f"feed_{source}")
    per_group = [select_.where(group_column == group_id).order_by(*order)
                 .limit(query.limit + 1).subquery() for group_id in sorted(member_group_ids(user))]
    return union_all(*(select(part) for part in per_group)).subquery(f"feed_{source}")


def statement(user, query: Query):
    """The one SELECT answering a page of the feed (None when nothing can be shown)."""
    sources = _sources(query)
    if not is_member(user) or not sources:
        return None
    if query.scope == "mine" and not member_group_ids(user):
        return None  # every "mine" source is a group's; without this, a walk of every post
    feed = union_all(*(select(_branch(user, s, query)) for s in sources)).subquery("feed")
    return (select(feed, User.display_name.label("actor_name"),
                   Group.name.label("group_name"), Group.slug.label("group_slug"))
            .outerjoin(User, User.id == feed.c.actor_id)
            .outerjoin(Group, Group.id == feed.c.group_id)
            .order_by(feed.c.at.desc(), feed.c.rank.desc(), feed.c.a.desc(), feed.c.b.desc())
            .limit(query.limit + 1))


def page(user, query: Query) -> Page:
    """A page of what ``user`` may see, newest first, and where the next one starts."""
    found = statement(user, query)
    if found is None:
        return Page([], None)
    rows = [Item(**row._mapping) for row in db.session.execute(found)]
    more = len(rows) > query.limit
    rows = rows[:query.limit]
    return Page(rows, rows[-1].cursor if more else None)
