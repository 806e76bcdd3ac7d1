"""The activity feed's sources: each area contributes the news of its own objects.

The home page's feed (``pen.home.feed``) is one UNION ALL over *sources*: a source
selects one kind of news (new topics, replies, documents…) that a member may
see, in the columns every source shares (``row``), newest first. An area
defines its sources next to its objects, filters them with its registered
visibility rule, and registers them with ``register_source(app, source)``; the
home feed concatenates whatever is registered and never restates an area's rule.

This module is core: it knows the shape of a feed row, never an area.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import Integer, String, cast, literal_column, null, type_coerce

from .types import UTCDateTime

_SOURCES_KEY = "pen.activity.sources"
PAGE_SIZE = 30


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
            if moment.tzinfo is None or source not in sources():
                raise ValueError(value)
            return cls(moment, source, int(a), int(b))
        except ValueError as error:
            raise BadCursor(value) from error


@dataclass(frozen=True)
class Query:
    """What the member asked for: scope ("all" or "mine"), kinds, and where the
    previous page ended."""

    scope: str = "all"
    kinds: tuple[str, ...] = ()
    before: Cursor | None = None
    limit: int = PAGE_SIZE


@dataclass(frozen=True)
class Branch:
    """One source's SELECT for a page, and the columns it is ordered and sought by
    (``b`` breaks ties within ``a`` where one id is not enough)."""

    select: object
    at: object
    a: object
    b: object = None


@dataclass(frozen=True)
class Source:
    """One kind of news.

    ``branch(user, query)`` returns its ``Branch``; ``describe(item, group)`` its line:
    one whole translated sentence (``fill``) with the item's link and, where ``group``
    (the group's link, or None) is given, the group's, and the item's URL; ``kind``
    the filter it belongs to ("forums"); ``rank`` a fixed place
    that breaks ties between items of the same moment; ``group_column``, when set,
    lets "my groups" seek the source group by group; ``groupless`` sources are not
    shown under "my groups".
    """

    name: str
    kind: str
    rank: int
    branch: Callable[[object, Query], Branch]
    describe: Callable[[object, Markup | None], tuple[Markup, str]]
    group_column: object = None
    groupless: bool = False


def register_source(app: Flask, source: Source) -> None:
    """Add ``source`` to the feed of ``app``; one source per name and per rank."""
    sources = app.extensions.setdefault(_SOURCES_KEY, {})
    taken = {s.rank: s.name for s in sources.values()}
    if source.name in sources or taken.get(source.rank, source.name) != source.name:
        raise ValueError(f"feed source {source.name!r} (rank {source.rank}) is already taken")
    sources[source.name] = source


def sources() -> dict[str, Source]:
    """The registered sources of the current app, by name, in rank order."""
    found = current_app.extensions.get(_SOURCES_KEY, {}).values()
    return {s.name: s for s in sorted(found, key=lambda s: s.rank)}


def someone(item) -> str:
    """Who did it, or a neutral word when the account is gone or unknown."""
    return item.actor_name or _("Someone")


def link(url: str, text: str) -> Markup:
    """A link to place in a feed sentence; its text (a title, a name) is escaped."""
    return Markup('<a href="{}" dir="auto">{}</a>').format(url, text)


def fill(sentence: str, **parts) -> Markup:
    """A translated sentence (``gettext`` of a msgid with placeholders, called without
    values) with its places filled. The sentence is text, escaped like every part,
    unless the part is markup (``link``).

    The sentence is translated whole — "%(member)s replied to %(topic)s in the group
    %(group)s" — so each language orders its words; it is never assembled from pieces."""
    return escape(sentence) % parts


def _text(value: str):
    """A constant string column (inlined: the sources are ours, never user input)."""
    return cast(literal_column(f"'{value}'"), String(12))


def no_int():
    """An integer column that a source has no value for."""
    return cast(null(), Integer)


#: The columns of ``row`` and the types their values are read back with (the feed reads
#: them by name from the union of every source's rows).
COLUMNS = {"at": UTCDateTime, "source": String, "rank": Integer, "a": Integer, "b": Integer,
           "title": String, "group_id": Integer, "actor_id": Integer, "ref": Integer,
           "number": Integer}


def row(source: Source, at, a, title, group_id, actor_id, ref, number, b=None) -> list:
    """The columns every source selects, in the same order and with the same names
    (``COLUMNS``)."""
    values = (type_coerce(at, UTCDateTime), _text(source.name),
              literal_column(str(source.rank)), a,
              b if b is not None else literal_column("0"), cast(title, String(300)),
              group_id, actor_id, ref, number)
    return [value.label(name) for value, name in zip(values, COLUMNS, strict=True)]
