"""Evaluating a parsed Whoosh query on whole-index arrays: masks and BM25F scores.

A query becomes a boolean mask over the searcher's document numbers (which
documents match) and an array of scores, computed with NumPy from the cached
posting arrays of ``postings.py``: ``And`` is a logical and with scores
summed, ``Or`` a logical or with scores summed (as Whoosh's matchers do), a
word is scored with Whoosh's BM25F formula and the field's boost. Phrases are
checked by Whoosh on positions, only within the documents holding every word;
prefixes and other multi-term queries match with a constant score, as in
Whoosh. The caller intersects the mask with the searcher's scope (acl terms,
filters, live documents) before counting or ranking anything. A word, or words
that must all match (a several-word synonym), is evaluated from its postings alone
(``sparse``) and written into its parent's arrays: whole-index arrays per word cost
the index's size however rare the word.
"""

import functools
import math
from collections import OrderedDict

import numpy as np
from whoosh import query

from . import postings

K1, B = 1.2, 0.75
MAX_EXPANSIONS = 1024  # terms a prefix may expand to (Whoosh has no limit)
MAX_CACHED_SCORES = 2_000_000  # scored postings a searcher keeps (12 bytes each)


class IndexArrays:
    """The arrays of one searcher (one committed version of an index)."""

    def __init__(self, searcher):
        """Read the segment layout and deletions of ``searcher``."""
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.leaves = list(self.reader.leaf_readers())
        self.live = np.ones(self.size, dtype=bool)
        self._columns: dict = {}
        self._languages: dict[str, np.ndarray] = {}
        self._scores: OrderedDict = OrderedDict()
        self._held = 0  # postings in ``_scores``
        for leaf, base in self.leaves:
            deleted = list(leaf.deleted_docs_set or ()) if leaf.has_deletions() else []
            if deleted:
                self.live[base + np.array(deleted, dtype=np.int64)] = False

    def value(self, fieldname: str, docnum: int) -> str:
        """A document's value of a column field (``id``, ``lang``), without stored fields."""
        column = self._columns.get(fieldname)
        if column is None:
            column = self._columns[fieldname] = self.reader.column_reader(fieldname)
        value = column[int(docnum)]
        return value.decode("utf-8") if isinstance(value, bytes) else str(value or "")

    def none(self) -> np.ndarray:
        """A mask matching nothing."""
        return np.zeros(self.size, dtype=bool)

    def term_mask(self, fieldname: str, text) -> np.ndarray:
        """The documents holding a term (deleted ones included)."""
        mask = self.none()
        for part, base, _leaf in self._parts(fieldname, text):
            mask[part.ids.astype(np.int64) + base] = True
        return mask

    def term_docs(self, fieldname: str, text) -> np.ndarray:
        """The document numbers holding a term, in order (deleted ones included)."""
        found = [part.ids.astype(np.int64) + base
                 for part, base, _leaf in self._parts(fieldname, text)]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def _parts(self, fieldname: str, text):
        """(segment postings, document number base, segment) of a term, segment by segment."""
        if fieldname not in self.reader.schema:
            return
        btext = text if isinstance(text, bytes) else self.reader.schema[fieldname].to_bytes(text)
        for leaf, base in self.leaves:
            part = postings.term_postings(leaf, fieldname, btext)
            if part.size:
                yield part, base, leaf

    def add_term(self, mask: np.ndarray, scores: np.ndarray, fieldname: str, text,
                 boost: float, within: np.ndarray | None = None) -> None:
        """Mark the documents of a term in ``mask`` and add its BM25F score to ``scores``.

        ``within``: only the documents of this mask (a language's documents, say).
        """
        for docs, contributions in self.term_scores(fieldname, text):
            if within is not None:
                keep = within[docs]
                docs, contributions = docs[keep], contributions[keep]
            mask[docs] = True
            scores[docs] += boost * contributions

    def term_scores(self, fieldname: str, text) -> list[tuple[np.ndarray, np.ndarray]]:
        """(documents, unboosted BM25F score) of a term, segment by segment (cached here)."""
        return self._remember((fieldname, text), lambda: self._term_scores(fieldname, text))

    def _remember(self, key, compute) -> list[tuple]:
        """``compute()``, a list of (documents, values) kept under ``key`` in this searcher's
        bounded LRU (``MAX_CACHED_SCORES`` documents in all)."""
        cache = self._scores
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found
        found = cache[key] = compute()
        self._held += sum(len(docs) for docs, _ in found)
        while self._held > MAX_CACHED_SCORES and len(cache) > 1:
            _, dropped = cache.popitem(last=False)
            self._held -= sum(len(docs) for docs, _ in dropped)
        return found

    def _term_scores(self, fieldname: str, text) -> list[tuple[np.ndarray, np.ndarray]]:
        """Compute ``term_scores``: Whoosh's BM25F (B 0.75, K1 1.2), a weight when unscored."""
        parts = list(self._parts(fieldname, text))
        if not parts:
            return []
        field = self.reader.schema[fieldname]
        frequency = sum(part.size for part, _, _ in parts)  # deleted documents count, as in Whoosh
        idf = math.log(self.size / (frequency + 1)) + 1
        average = (self.reader.field_length(fieldname) / (self.size or 1)) or 1.0
        out = []
        norms = K1 * ((1 - B) + B * postings.LENGTH_OF_CODE / average)  # per length code
        for part, base, leaf in parts:
            docs = part.ids.astype(np.int64) + base
            if field.scorable:
                norm = norms[postings.length_codes(leaf, fieldname)[part.ids]]
                out.append((docs, (idf * (part.tf * (K1 + 1)) / (part.tf + norm))
                            .astype(np.float32)))
            else:
                out.append((docs, part.tf.astype(np.float32)))
        return out

    def language_mask(self, lang: str) -> np.ndarray:
        """The documents written in ``lang`` (shared: never modify it)."""
        if lang not in self._languages:
            self._languages[lang] = self.term_mask("lang", lang)
        return self._languages[lang]

    def evaluate(self, q: query.Query) -> tuple[np.ndarray, np.ndarray]:
        """(mask of matching documents, scores) of a query."""
        mask, scores = self.none(), np.zeros(self.size, dtype=np.float32)
        self._into(q, mask, scores)
        return mask, scores

    def _into(self, q: query.Query, mask: np.ndarray, scores: np.ndarray) -> None:
        """Evaluate ``q`` into the (empty) ``mask`` and ``scores``."""
        if q is query.NullQuery:
            return
        for kind, method in _HANDLERS:
            if isinstance(q, kind):
                getattr(self, method)(q, mask, scores)
                return
        self._by_whoosh(q, mask, scores)

    def sparse(self, q: query.Query) -> tuple[np.ndarray, np.ndarray]:
        """(documents in order, scores) of a query ``_sparse_able`` says is a word or words
        that must all match: what ``evaluate`` would give, from the postings alone.

        Whole-index arrays cost their size for every word (500,000 documents at S=100)
        however few documents hold it: a synonym list of several-word names evaluated that
        way made a unified search cost 3 times more at S=100 than at S=1."""
        if type(q) is query.And:
            return _sparse_and([self.sparse(child) for child in q.children()])
        found = self.term_scores(q.fieldname, q.text)
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        # In order, as for ``term_docs``: segments come by base, each one's postings sorted.
        return (np.concatenate([d for d, _ in found]),
                np.concatenate([q.boost * v for _, v in found]))

    def _term(self, q: query.Term, mask: np.ndarray, scores: np.ndarray) -> None:
        """One word in one field."""
        self.add_term(mask, scores, q.fieldname, q.text, q.boost)

    def _or(self, q: query.Or, mask: np.ndarray, scores: np.ndarray) -> None:
        """Any child matches; the scores of those that do add up."""
        for child in q.children():
            if isinstance(child, query.Term):  # straight into the sums: no arrays to allocate
                self._term(child, mask, scores)
                continue
            words, lang = _words_in_language(child)
            if lang is not None:  # stemming's words of one language (see ``stemming.py``)
                within = self.language_mask(lang)
                for word in words:
                    self.add_term(mask, scores, word.fieldname, word.text, word.boost, within)
                continue
            if _sparse_able(child):
                docs, values = self.sparse(child)
                mask[docs] = True
                scores[docs] += values
                continue
            child_mask, child_scores = self.evaluate(child)
            mask |= child_mask
            scores += child_scores

    def _max(self, q: query.DisjunctionMax, mask: np.ndarray, scores: np.ndarray) -> None:
        """Any child matches; a document scores its best child (a synonym list's terms)."""
        for child in q.children():
            if _sparse_able(child):  # scores are never negative: the maximum where it matches
                docs, values = self.sparse(child)
                mask[docs] = True
                scores[docs] = np.maximum(scores[docs], values)
                continue
            child_mask, child_scores = self.evaluate(child)
            mask |= child_mask
            np.maximum(scores, child_scores, out=scores)

    def _all(self, q: query.And, mask: np.ndarray, scores: np.ndarray) -> None:
        """Every child matches."""
        self._and(q.children(), mask, scores)

    def _not(self, q: query.Not, mask: np.ndarray, scores: np.ndarray) -> None:
        """Documents the child does not match, unscored."""
        mask[:] = ~self.evaluate(q.query)[0]

    def _and_not(self, q: query.AndNot, mask: np.ndarray, scores: np.ndarray) -> None:
        """The first query's matches without the second's."""
        self._into(q.a, mask, scores)
        mask &= ~self.evaluate(q.b)[0]
        scores[~mask] = 0.0

    def _require(self, q: query.Require, mask: np.ndarray, scores: np.ndarray) -> None:
        """The first query's matches that the second also matches, scored by the first."""
        self._into(q.a, mask, scores)
        mask &= self.evaluate(q.b)[0]
        scores[~mask] = 0.0

    def _and_maybe(self, q: query.AndMaybe, mask: np.ndarray, scores: np.ndarray) -> None:
        """The first query's matches, scored higher where the second matches too."""
        self._into(q.a, mask, scores)
        scores += np.where(mask, self.evaluate(q.b)[1], np.float32(0))

    def _every(self, q: query.Every, mask: np.ndarray, scores: np.ndarray) -> None:
        """Every document."""
        mask[:] = True

    def _and(self, children, mask: np.ndarray, scores: np.ndarray) -> None:
        """Every child matches; scores add up (and count only where all match)."""
        children = list(children)
        if children and all(_sparse_able(child) for child in children):
            docs, values = _sparse_and([self.sparse(child) for child in children])
            mask[docs] = True
            scores[docs] += values
            return
        mask[:] = True
        for child in children:
            child_mask, child_scores = self.evaluate(child)
            mask &= child_mask
            scores += child_scores
        scores[~mask] = 0.0

    def _phrase(self, q: query.Phrase, mask: np.ndarray, scores: np.ndarray) -> None:
        """Words in sequence: the documents holding them all, then their positions checked."""
        self._and([query.Term(q.fieldname, w, boost=q.boost) for w in q.words], mask, scores)
        if not mask.any():
            return
        field = self.reader.schema[q.fieldname]
        if q.slop != 1 or not field.format.supports("positions"):
            in_sequence = self.none()
            in_sequence[np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)] = True
        else:
            # Kept: the candidates depend only on the words and this searcher's deletions.
            in_sequence = self.none()
            docs, _ = self._remember(("phrase", q.fieldname, tuple(q.words)), lambda: [(
                np.flatnonzero(self._consecutive(q.fieldname, q.words, mask & self.live)),
                None)])[0]
            in_sequence[docs] = True
        mask &= in_sequence
        scores[~mask] = 0.0

    def _consecutive(self, fieldname: str, words, candidates: np.ndarray) -> np.ndarray:
        """The documents of ``candidates`` where ``words`` occur one right after another.

        Each word gives the sorted keys (document, position minus its offset in the
        phrase); a phrase starts where every word has the key. Intersecting sorted arrays
        by binary search, smallest first, instead of ``np.unique`` + ``np.intersect1d``
        (which hash and re-sort millions of keys): a frequent Chinese word, whose bigrams are
        in most documents, took 700 ms; see bench/results/issue26-memory-s9.md.
        """
        found = self.none()
        field = self.reader.schema[fieldname]
        for leaf, base in self.leaves:
            keys = []
            for offset, word in enumerate(words):
                docs, positions = postings.term_positions(leaf, fieldname, field.to_bytes(word))
                docs = docs.astype(np.int64) + base
                keep = candidates[docs] & (positions >= offset)
                keys.append(_sorted_keys((docs[keep] << 32) | (positions[keep] - offset)))
                if not len(keys[-1]):
                    break
            starts = functools.reduce(_intersect_sorted, sorted(keys, key=len)) if keys else None
            if starts is not None and len(starts):
                found[starts >> 32] = True
        return found

    def _expanded(self, q: query.MultiTerm, mask: np.ndarray, scores: np.ndarray) -> None:
        """A prefix, wildcard…: any of its terms, every match scored the query's boost."""
        for count, btext in enumerate(q._btexts(self.reader)):
            if count >= MAX_EXPANSIONS:
                break
            for part, base, _leaf in self._parts(q.field(), btext):
                mask[part.ids.astype(np.int64) + base] = True
        scores[mask] += q.boost

    def _by_whoosh(self, q: query.Query, mask: np.ndarray, scores: np.ndarray) -> None:
        """Any other query: Whoosh's own matcher, every match scored the query's boost."""
        found = np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)
        mask[found] = True
        scores[found] += q.boost


def _words_in_language(q: query.Query) -> tuple[list[query.Term], str | None]:
    """(words, language) when ``q`` is And(lang:L, Or(words…)); ([], None) otherwise."""
    if type(q) is not query.And or len(q.subqueries) != 2:
        return [], None
    lang, words = q.subqueries
    if not (isinstance(lang, query.Term) and lang.fieldname == "lang"):
        return [], None
    if type(words) is query.Or and all(type(w) is query.Term for w in words.subqueries):
        return list(words.subqueries), lang.text
    return [], None


_HANDLERS = (
    (query.Term, "_term"), (query.Or, "_or"), (query.And, "_all"), (query.Not, "_not"),
    (query.AndNot, "_and_not"), (query.Require, "_require"), (query.AndMaybe, "_and_maybe"),
    (query.Every, "_every"), (query.Phrase, "_phrase"), (query.MultiTerm, "_expanded"),
    (query.DisjunctionMax, "_max"),
)


def _sparse_able(q: query.Query) -> bool:
    """A word, or words that must all match (a several-word synonym): ``sparse`` handles it."""
    if type(q) is query.Term:
        return True
    children = list(q.children()) if type(q) is query.And else []
    return bool(children) and all(_sparse_able(child) for child in children)


def _sparse_and(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The documents in every part, their scores added in the parts' order (as ``_and``
    adds whole arrays, so the sums are the same to the last bit)."""
    common = min((docs for docs, _ in parts), key=len)
    for docs, _ in parts:
        common = _intersect_sorted(common, docs)
    total = np.zeros(len(common), dtype=np.float32)
    for docs, values in parts:
        total += values[np.searchsorted(docs, common)]
    return common, total


def _sorted_keys(keys: np.ndarray) -> np.ndarray:
    """``keys`` sorted without repeats: Whoosh's positions already are (documents in order,
    positions rising within one), so this only checks; another codec's are sorted here."""
    if len(keys) < 2 or bool(np.all(keys[1:] > keys[:-1])):
        return keys
    return np.unique(keys)


def _intersect_sorted(small: np.ndarray, large: np.ndarray) -> np.ndarray:
    """The values of ``small`` also in ``large`` (both sorted, without repeats)."""
    if not len(small) or not len(large):
        return small[:0]
    at = np.minimum(np.searchsorted(large, small), len(large) - 1)
    return small[large[at] == small]


def arrays(searcher) -> IndexArrays:
    """The arrays of a searcher, made once and kept on it."""
    found = searcher.__dict__.get("_pen_arrays")
    if found is None:
        found = IndexArrays(searcher)
        searcher.__dict__["_pen_arrays"] = found
    return found


def top(mask: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` best documents of ``mask`` by score, ties by document number."""
    docs = np.flatnonzero(mask)
    if count <= 0 or not len(docs):
        return docs[:0]
    values = scores[docs]
    if len(docs) > count:
        threshold = np.partition(values, len(values) - count)[len(values) - count]
        above = docs[values > threshold]
        equal = docs[values == threshold][:count - len(above)]
        docs = np.concatenate((above, equal))
        values = scores[docs]
    return docs[np.lexsort((docs, -values))]


def first_by_rank(mask: np.ndarray, ranks: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` documents of ``mask`` that come first in ``ranks`` (all distinct)."""
    docs = np.flatnonzero(mask)
    if count <= 0 or not len(docs):
        return docs[:0]
    keys = ranks[docs]
    if len(docs) > count:
        chosen = np.argpartition(keys, count - 1)[:count]
        docs, keys = docs[chosen], keys[chosen]
    return docs[np.argsort(keys, kind="stable")]
