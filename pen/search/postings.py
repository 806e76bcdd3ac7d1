"""Posting lists and per-document columns read into NumPy arrays, cached per segment.

Whoosh walks posting lists one document at a time in Python, which costs about a
microsecond per document and per field: a common word matching most of 500,000
posts takes a second to score. Here a term's postings are read block by block
into arrays (document numbers and term frequencies, with each document's field
length beside them) and kept in a process-wide cache. Whoosh segments never
change once written, so the cache is keyed by segment: a commit that adds a
small segment leaves the big one's entries valid. Deleted documents are not
filtered here; the searcher's ``live`` mask removes them (see ``matching.py``).
"""

import heapq
from dataclasses import dataclass
from itertools import chain
from pickle import loads

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length, length_to_byte

from .cache import (  # noqa: F401 - the cache's functions are read from here too
    DEFAULT_CACHED_POSTINGS,
    _cache,
    cached,
    clear_cache,
    keep,
    segment_key,
    set_capacity,
)

#: The field length each byte of ``length_codes`` stands for.
LENGTH_OF_CODE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)
_EMPTY_IDS = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True)
class Postings:
    """One term in one segment: segment-local document numbers and frequencies. (The
    field's length in each document is looked up when a term is scored, in the
    segment's ``length_codes``, not kept per posting: a third of the cache's memory.)"""

    ids: np.ndarray
    tf: np.ndarray

    @property
    def size(self) -> int:
        """How many postings."""
        return len(self.ids)


EMPTY = Postings(_EMPTY_IDS, np.zeros(0, dtype=np.float32))


def term_postings(leaf, fieldname: str, btext: bytes) -> Postings:
    """The postings of a term in one segment reader (deleted documents included)."""
    if (fieldname, btext) not in leaf:
        return EMPTY
    key = ("p", segment_key(leaf), fieldname, btext)
    cached = _cache.get(key)
    if cached is not None:
        return cached[0]
    found = Postings(*_read(leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)))
    _cache.put(key, found, found.size)
    return found


def term_positions(leaf, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(segment-local document, word position) of every occurrence of a term (cached).

    For phrases: decoding positions costs about a microsecond per posting, once.
    """
    if (fieldname, btext) not in leaf:
        return _EMPTY_IDS, _EMPTY_IDS
    key = ("w", segment_key(leaf), fieldname, btext)
    found = cached(key)
    if found is None:
        matcher = leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)
        ids, values = _read_values(matcher)
        decoded = _decode_positions(values)
        counts = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
        positions = _decode_ids(decoded, absolute=False) if len(decoded) else _EMPTY_IDS
        found = (np.repeat(ids, counts), positions)
        keep(key, found, len(positions) * 2)
    return found


def _decode_positions(values: list[bytes]) -> list[list[int]]:
    """Whoosh's encoded position lists, decoded (most are repeats: decode each once)."""
    seen: dict[bytes, list[int]] = {}
    out = []
    for value in values:
        found = seen.get(value)
        if found is None:
            body = value[_INT_SIZE:]
            found = seen[value] = loads(body if body.endswith(b".") else body + b".")  # noqa: S301 - our own index
        out.append(found)
    return out


def _read_values(matcher) -> tuple[np.ndarray, list[bytes]]:
    """Every (document number, encoded value) of a raw segment matcher."""
    if not isinstance(matcher, W3LeafMatcher):
        ids, values = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            values.append(matcher.value())
            matcher.next()
        return np.array(ids, dtype=np.int32), values
    id_blocks, values = [], []
    while True:
        matcher._read_values()
        id_blocks.append(matcher._data[0])
        values.extend(matcher._values)
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return _decode_ids(id_blocks, matcher._byteids), values


def _read(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Every (document number, weight) of a raw segment matcher, as arrays."""
    if not isinstance(matcher, W3LeafMatcher):
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)
    id_blocks, weight_blocks = [], []
    while True:
        if matcher._data is None:
            matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        id_blocks.append(raw_ids)
        if raw_weights is None or isinstance(raw_weights, float):
            weight_blocks.append(np.full(count, raw_weights or 1.0, dtype=np.float32))
        else:
            weight_blocks.append(np.asarray(raw_weights, dtype=np.float32))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return _decode_ids(id_blocks, matcher._byteids), np.concatenate(weight_blocks)


def _decode_ids(blocks: list, absolute: bool) -> np.ndarray:
    """Document numbers from blocks of deltas (each block starts from zero)."""
    flat = np.array(list(chain.from_iterable(blocks)), dtype=np.int64)
    if absolute or not len(flat):
        return flat.astype(np.int32)
    sizes = np.array([len(b) for b in blocks])
    ids = np.cumsum(flat)
    ends = np.cumsum(sizes)
    # Undo the running sum across block boundaries: subtract the total before each block.
    before = np.concatenate(([0], ids[ends[:-1] - 1]))
    return (ids - np.repeat(before, sizes)).astype(np.int32)


def length_codes(leaf, fieldname: str) -> np.ndarray:
    """Each document's length in ``fieldname`` in one segment as Whoosh stores it: one byte
    a document (``LENGTH_OF_CODE`` decodes it; 0 when the document has none)."""
    key = ("l", segment_key(leaf), fieldname)
    cached = _cache.get(key)
    if cached is not None:
        return cached[0]
    count = leaf.doc_count_all()
    codes = np.zeros(count, dtype=np.uint8)
    try:
        column = leaf._perdoc._cached_reader(f"_{fieldname}_len", _lengths_column())
        raw = b"" if column is None else column._dbfile.get(column._basepos, column._count)
        codes[:len(raw)] = np.frombuffer(raw, dtype=np.uint8)[:count]
    except AttributeError:  # another codec: ask document by document
        codes[:] = [length_to_byte(leaf.doc_field_length(d, fieldname, 0) or 0)
                    for d in range(count)]
    _cache.put(key, codes, count // 8)
    return codes


# A kind's warm-up reads at most a quarter of the cache, so that the second large index a
# process opens (the forum's posts after the library, say) gets warmed too; all warm-ups
# together stop at three quarters, leaving the rest to what searches read.
WARM_SHARE_OF_KIND = 0.25
WARM_SHARE_OF_ALL = 0.75


def warm(reader, fieldnames, terms_per_field: int) -> int:
    """Read the postings of each field's most frequent words into the cache; how many.

    Those are the words members type most and the slowest to read cold (a word
    in half of 500,000 posts takes a tenth of a second), so a server reads them
    once, ahead of the first search, within this kind's share of the cache.
    """
    done = read = 0
    budget = _cache.capacity * WARM_SHARE_OF_KIND
    for leaf, _base in reader.leaf_readers():
        if leaf.segment() is None:
            continue
        for fieldname in fieldnames:
            for btext in _most_frequent(leaf, fieldname, terms_per_field):
                if read >= budget or _cache.held >= _cache.capacity * WARM_SHARE_OF_ALL:
                    return done
                read += term_postings(leaf, fieldname, btext).size
                done += 1
    return done


def _most_frequent(leaf, fieldname: str, count: int) -> list[bytes]:
    """The ``count`` words of ``fieldname`` in the most documents of a segment."""
    if fieldname not in leaf.schema or count <= 0:
        return []
    key = ("f", segment_key(leaf), fieldname, count)
    found = cached(key)
    if found is None:
        frequent = heapq.nlargest(count, leaf.iter_field(fieldname),
                                  key=lambda item: item[1].doc_frequency())
        found = [btext for btext, _info in frequent]
        keep(key, found, len(found))
    return found


def _lengths_column():
    """Whoosh's column type for field lengths."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    return LENGTHS_COLUMN
