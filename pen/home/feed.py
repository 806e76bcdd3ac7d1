"""The network's activity feed: what happened, newest first, only what the member may see.

Why a UNION ALL and not an activity table: every kind of news already lives in
its own table with a creation time (topics, posts, documents, versions, group
memberships, meetings, work-plan activities, announced award cycles), and each
area owns the one SQL visibility clause of its objects. So the areas contribute
the branches, as ``pen.activity`` sources registered on the app (each in its
area's ``activity.py``: forums, library, members, groups, awards, filtered by
its registered visibility rule), and this module only unites them. Asking those
tables directly means the feed can never disagree with the areas: a topic
deleted, a document moved to "administrators only", a member leaving a group or
results withdrawn drop out of the feed at once, with nothing to keep in step and
no write path in four other areas.

One page is ONE statement. Each branch selects one kind with its visibility
and filter conditions, seeks past the cursor and keeps only ``limit`` rows
(ordered by its creation time, so an index on that column serves it); the
branches are concatenated, ordered by ``(at, source, a, b)`` and cut to the
page, and the authors and groups are joined once on the result. Pagination is a
keyset on that tuple: page 100 costs what page 1 costs.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, literal_column, select, true, union_all

from .. import activity
from ..activity import PAGE_SIZE, BadCursor, Cursor, Query, Source, sources
from ..auth.models import User
from ..auth.permissions import is_member
from ..extensions import db
from ..groups.models import Group
from ..groups.permissions import member_group_ids

__all__ = ["PAGE_SIZE", "BadCursor", "Cursor", "Item", "Page", "Query", "kinds", "page"]

SCOPES = ("all", "mine")
# The union's columns, named rather than taken from the subquery's ``.c``: building that
# collection makes a proxy of every column of every branch, which cost more than the rest
# of the statement (4 of a home page's 16 ms of CPU, for a member of several groups).
_COLUMN = {name: literal_column(f"feed.{name}", type_())
           for name, type_ in activity.COLUMNS.items()}


def kinds() -> dict[str, tuple[str, ...]]:
    """The filters a member can pick ("forums", "library"…), each naming its sources."""
    found: dict[str, tuple[str, ...]] = {}
    for source in sources().values():
        found[source.kind] = (*found.get(source.kind, ()), source.name)
    return found


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
    actor_avatar_key: str | None
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


def _after_cursor(source: Source, at, a, b, cursor: Cursor | None):
    """The branch's part of ``(at, source, a, b) < cursor``, with ``source`` known here."""
    if cursor is None:
        return true()
    theirs = sources()[cursor.source].rank
    if source.rank < theirs:
        return at <= cursor.at
    if source.rank > theirs:
        return at < cursor.at
    same = a < cursor.a if b is None else (a < cursor.a) | ((a == cursor.a) & (b < cursor.b))
    return (at < cursor.at) | and_(at == cursor.at, same)


def _sources(query: Query) -> list[Source]:
    """The sources a query asks for (the filters' kinds; groupless ones drop for "mine")."""
    known, by_kind = sources(), kinds()
    wanted = [known[name] for kind in query.kinds for name in by_kind.get(kind, ())]
    return [s for s in wanted or known.values()
            if not (query.scope == "mine" and s.groupless)]


def _branch(user, source: Source, query: Query):
    """One kind's newest rows past the cursor, as a subquery.

    Under "my groups", sources with a group column (topics, replies) are sought
    group by group (an index on ``(group_id, created_at, id)`` each): walking all of
    them newest first until a few belong to the member's groups reads the whole
    table when those groups are quiet.
    """
    branch = source.branch(user, query)
    at, a, b = branch.at, branch.a, branch.b
    order = [at.desc(), a.desc()] + ([b.desc()] if b is not None else [])
    select_ = branch.select.where(_after_cursor(source, at, a, b, query.before))
    name = f"feed_{source.name}"
    if query.scope != "mine" or source.group_column is None:
        return select_.order_by(*order).limit(query.limit + 1).subquery(name)
    per_group = [select_.where(source.group_column == group_id).order_by(*order)
                 .limit(query.limit + 1).subquery() for group_id in sorted(member_group_ids(user))]
    return union_all(*(select(part) for part in per_group)).subquery(name)


def statement(user, query: Query):
    """The one SELECT answering a page of the feed (None when nothing can be shown)."""
    chosen = _sources(query)
    if not is_member(user) or not chosen:
        return None
    if query.scope == "mine" and not member_group_ids(user):
        return None  # every "mine" source is a group's; without this, a walk of every post
    feed = union_all(*(select(_branch(user, s, query)) for s in chosen)).subquery("feed")
    return (select(*(value.label(name) for name, value in _COLUMN.items()),
                   User.display_name.label("actor_name"),
                   User.avatar_key.label("actor_avatar_key"),
                   Group.name.label("group_name"), Group.slug.label("group_slug"))
            .select_from(feed.outerjoin(User, User.id == _COLUMN["actor_id"])
                         .outerjoin(Group, Group.id == _COLUMN["group_id"]))
            .order_by(_COLUMN["at"].desc(), _COLUMN["rank"].desc(), _COLUMN["a"].desc(),
                      _COLUMN["b"].desc())
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
