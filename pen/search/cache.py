"""The process-wide cache of arrays read from the index (postings, columns, stem tables).

Kept apart from ``postings`` so that creating the app, which sets its size, does not
import NumPy: a web worker imports it with its first search.
"""

import threading
from collections import OrderedDict

DEFAULT_CACHED_POSTINGS = 5_000_000  # ~60 MB of arrays per process


class _Cache:
    """A thread-safe LRU of arrays bounded by the number of postings they hold."""

    def __init__(self, capacity: int):
        """``capacity``: postings kept before the least recently used entries go."""
        self.capacity = capacity
        self.held = 0
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        """The cached value, or None."""
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value, size: int) -> None:
        """Keep ``value`` (worth ``size`` postings), evicting the oldest entries."""
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (value, size)
            self.held += size
            while self.held > self.capacity and len(self.entries) > 1:
                _, (_, old_size) = self.entries.popitem(last=False)
                self.held -= old_size

    def clear(self) -> None:
        """Forget everything (tests, memory pressure)."""
        with self.lock:
            self.entries.clear()
            self.held = 0


_cache = _Cache(DEFAULT_CACHED_POSTINGS)


def set_capacity(postings: int) -> None:
    """How many postings the process-wide cache holds (``SEARCH_CACHE_POSTINGS``)."""
    _cache.capacity = max(1, int(postings))


def clear_cache() -> None:
    """Drop every cached array."""
    _cache.clear()


def cached(key):
    """Whatever was kept under ``key`` (whose first part is a segment key), or None."""
    found = _cache.get(key)
    return None if found is None else found[0]


def keep(key, value, size: int) -> None:
    """Keep ``value``, worth ``size`` postings of memory, in the process-wide cache."""
    _cache.put(key, value, max(1, size))


def segment_key(leaf) -> str:
    """What names a segment for the cache: its id (random, never reused)."""
    return leaf.segment().segment_id()
