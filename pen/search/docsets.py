"""Document masks cached on the searcher: scopes, facet counts, sort orders.

A searcher sees one committed version of the index and is replaced when it
changes, so what is derived from it is computed once and kept on it: the mask
of documents each searcher may get (acl terms and filters, the same for every
query of the same member kind), each facet's (document, value) pairs, and each
sort column's ranks. A facet count is then one ``bincount`` over the matched
documents and a sorted page a partial sort of their ranks.
"""

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping

import numpy as np

from . import matching, postings
from .adapters import Adapter

MAX_CACHED_SCOPES = 64
_lock = threading.Lock()


def _cache(searcher, name: str) -> dict:
    """A dictionary kept on the searcher under ``name``."""
    with _lock:
        return searcher.__dict__.setdefault(name, OrderedDict())


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


def any_of(searcher, fieldname: str, values: Iterable[str]) -> np.ndarray:
    """A new mask of the documents holding at least one of ``values``."""
    arrays = matching.arrays(searcher)
    mask = arrays.none()
    for value in set(values):
        mask |= arrays.term_mask(fieldname, value)
    return mask


def scope_mask(searcher, allowed: Iterable[str], filters: dict[str, list[str]]) -> np.ndarray:
    """Live documents sharing an acl term with the searcher and matching every filter.

    Cached per searcher, acl terms and filters: shared, never modify it.
    """
    key = (frozenset(allowed), tuple(sorted((k, frozenset(v)) for k, v in filters.items())))
    cache = _cache(searcher, "_pen_scopes")
    mask = cache.get(key)
    if mask is None:
        mask = any_of(searcher, "acl", allowed) & matching.arrays(searcher).live
        for name, values in filters.items():
            mask &= any_of(searcher, name, values)
        with _lock:
            cache[key] = mask
            while len(cache) > MAX_CACHED_SCOPES:
                cache.popitem(last=False)
    return mask


def _facet_pairs(searcher, fieldname: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(values, document of each pair, value index of each pair) of a keyword field."""
    cache = _cache(searcher, "_pen_facets")
    found = cache.get(fieldname)
    if found is None:
        arrays = matching.arrays(searcher)
        values, docs, indexes = [], [], []
        for raw in searcher.reader().lexicon(fieldname):
            value = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            holders = arrays.term_docs(fieldname, raw)
            docs.append(holders)
            indexes.append(np.full(len(holders), len(values), dtype=np.int32))
            values.append(value)
        found = (values, np.concatenate(docs) if docs else np.zeros(0, np.int64),
                 np.concatenate(indexes) if indexes else np.zeros(0, np.int32))
        with _lock:
            cache[fieldname] = found
    return found


def facet_counts(searcher, fieldname: str, matched: np.ndarray) -> list[tuple[str, int]]:
    """How many of ``matched`` hold each value of ``fieldname``, most frequent first."""
    values, docs, indexes = _facet_pairs(searcher, fieldname)
    if not values:
        return []
    counts = np.bincount(indexes[matched[docs]], minlength=len(values))
    found = [(values[i], int(counts[i])) for i in np.flatnonzero(counts)]
    return sorted(found, key=lambda item: (-item[1], item[0]))


def sort_ranks(searcher, fieldname: str, reverse: bool) -> np.ndarray:
    """Each document's position when sorted by the column ``fieldname``; blanks last.

    Equal keys keep index order. Each segment's keys are read once (cached by
    segment), so a new index version only reads its new segments.
    """
    cache = _cache(searcher, "_pen_ranks")
    key = (fieldname, reverse)
    if key not in cache:
        reader = searcher.reader()
        parts = [_column_keys(leaf, fieldname) for leaf, _base in reader.leaf_readers()]
        keys = np.concatenate(parts) if parts else np.zeros(0, dtype="S1")
        _values, codes = np.unique(keys, return_inverse=True)
        blank = keys == b""
        order = np.lexsort((-codes if reverse else codes, blank))
        ranks = np.empty(len(keys), dtype=np.int64)
        ranks[order] = np.arange(len(keys))
        with _lock:
            cache[key] = ranks
    return cache[key]


def _column_keys(leaf, fieldname: str) -> np.ndarray:
    """The sort keys of one segment's documents as a bytes array ("" when none)."""
    size = leaf.doc_count_all()
    if leaf.segment() is None or not leaf.has_column(fieldname):
        return np.full(size, b"", dtype="S1")
    key = ("k", postings.segment_key(leaf), fieldname)
    found = postings.cached(key)
    if found is None:
        values = [v.encode("utf-8") if isinstance(v, str) else (v or b"")
                  for v in leaf.column_reader(fieldname)]
        found = np.array(values, dtype=bytes) if values else np.zeros(0, dtype="S1")
        postings.keep(key, found, size)
    return found


def first_sorted(searcher, matched: np.ndarray, fieldname: str, reverse: bool,
                 count: int) -> np.ndarray:
    """The first ``count`` of ``matched`` in the order of a sort column."""
    return matching.first_by_rank(matched, sort_ranks(searcher, fieldname, reverse), count)
