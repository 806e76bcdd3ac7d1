"""Document-number sets, cached on the searcher: scopes, facet counts, sort orders.

Whoosh's collectors visit every matching document in Python, which is slow
when a query matches tens of thousands. Here the set of documents of each
acl term, filter value and facet value is read once per searcher (a searcher
sees one version of the index and is replaced when it changes) and combined
with set operations: the scope (acl terms, then filters) and the facet counts
are intersections, a sorted page is a partial sort on a cached rank array.
"""

import heapq
from collections.abc import Iterable, Mapping

from whoosh import query

from .adapters import Adapter

MAX_CACHED_TERMS = 2000
_TERMS = "_pen_term_docs"
_RANKS = "_pen_sort_ranks"


def term_docs(searcher, fieldname: str, value: str) -> set[int]:
    """The live documents holding ``value`` in ``fieldname`` (shared: never modify it)."""
    cache = searcher.__dict__.setdefault(_TERMS, {})
    key = (fieldname, value)
    docs = cache.get(key)
    if docs is None:
        if len(cache) >= MAX_CACHED_TERMS:
            cache.clear()
        docs = set(searcher.docs_for_query(query.Term(fieldname, value)))
        cache[key] = docs
    return docs


def any_of(searcher, fieldname: str, values: Iterable[str]) -> set[int]:
    """A new set of the documents holding at least one of ``values``."""
    docs: set[int] = set()
    for value in values:
        docs = docs | term_docs(searcher, fieldname, value)
    return docs


def filter_values(adapter: Adapter,
                  filters: Mapping[str, str | Iterable[str]] | None) -> dict[str, list[str]]:
    """The filters that name a keyword field, each as a list of values."""
    out = {}
    for name, values in (filters or {}).items():
        if name not in adapter.keyword_fields:
            continue
        values = [values] if isinstance(values, str) else [str(v) for v in values if v]
        if values:
            out[name] = values
    return out


def scope_docs(searcher, allowed: Iterable[str], filters: dict[str, list[str]]) -> set[int]:
    """Documents sharing an acl term with the searcher and matching every filter."""
    docs = any_of(searcher, "acl", allowed)
    for name, values in filters.items():
        if not docs:
            break
        docs = docs & any_of(searcher, name, values)
    return docs


def facet_counts(searcher, fieldname: str, matched: set[int]) -> list[tuple[str, int]]:
    """How many of ``matched`` hold each value of ``fieldname``, most frequent first."""
    counts = []
    if matched:
        for raw in searcher.reader().lexicon(fieldname):
            value = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            count = len(matched & term_docs(searcher, fieldname, value))
            if count:
                counts.append((value, count))
    return sorted(counts, key=lambda item: (-item[1], item[0]))


def sort_ranks(searcher, fieldname: str, reverse: bool) -> list[int]:
    """Each document's position when sorted by the column ``fieldname``; blanks last."""
    cache = searcher.__dict__.setdefault(_RANKS, {})
    key = (fieldname, reverse)
    if key not in cache:
        reader = searcher.reader()
        size = reader.doc_count_all()
        keys = list(reader.column_reader(fieldname)) if reader.has_column(fieldname) \
            else [""] * size
        if reverse:
            order = sorted(range(size), key=lambda d: (keys[d] != "", keys[d]), reverse=True)
        else:
            order = sorted(range(size), key=lambda d: (keys[d] == "", keys[d]))
        ranks = [0] * size
        for rank, docnum in enumerate(order):
            ranks[docnum] = rank
        cache[key] = ranks
    return cache[key]


def first_sorted(searcher, matched: set[int], fieldname: str, reverse: bool,
                 count: int) -> list[int]:
    """The first ``count`` of ``matched`` in the order of a sort column."""
    ranks = sort_ranks(searcher, fieldname, reverse)
    return heapq.nsmallest(count, matched, key=ranks.__getitem__)
