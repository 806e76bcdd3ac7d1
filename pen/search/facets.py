"""Facet counting that reuses, across searches, what it learnt about each segment.

Whoosh counts a multi-valued keyword facet by first building, for every
document of a segment, the list of its values; by default it rebuilds that
list at every search. A segment never changes once written (deletions only
hide documents, and hidden documents are never collected), so the lists are
kept per segment in a small LRU cache and a page of facets costs what the
matching documents cost.
"""

import threading
from collections import OrderedDict

from whoosh import sorting

CACHED_SEGMENTS = 256
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _cached(key):
    """The cached value lists of ``key``, marked as recently used; None if absent."""
    with _lock:
        lists = _cache.get(key)
        if lists is not None:
            _cache.move_to_end(key)
        return lists


def _store(key, lists) -> None:
    """Keep ``lists``, forgetting the least recently used segments beyond the limit."""
    with _lock:
        _cache[key] = lists
        while len(_cache) > CACHED_SEGMENTS:
            _cache.popitem(last=False)


class CachedOverlappingCategorizer(sorting.OverlappingCategorizer):
    """Whoosh's categorizer for multi-valued fields, with per-segment value lists cached."""

    def set_searcher(self, segment_searcher, docoffset):
        """Reuse the value lists of a segment already seen; build them otherwise."""
        reader = segment_searcher.reader()
        segment = reader.segment() if hasattr(reader, "segment") else None
        if self._use_vectors or self._use_column or segment is None:
            return super().set_searcher(segment_searcher, docoffset)
        key = (segment.segment_id(), self._fieldname)
        lists = _cached(key)
        if lists is None:
            super().set_searcher(segment_searcher, docoffset)
            _store(key, self._lists)
        else:
            self._segment_searcher = segment_searcher
            self._lists = lists


class CachedFieldFacet(sorting.FieldFacet):
    """A ``FieldFacet`` whose overlapping categorizer caches per segment."""

    def categorizer(self, global_searcher):
        """The cached categorizer for overlapping groups, Whoosh's otherwise."""
        if self.allow_overlap:
            return CachedOverlappingCategorizer(global_searcher, self.fieldname)
        return super().categorizer(global_searcher)
