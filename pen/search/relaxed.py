"""Relaxed matching: when every word must match and few documents do, those matching
most of the query's significant words come after every strict hit.

A natural question ("how to identify PCB equipment", "stockage des condensateurs au
pyralène") rarely has all its words in one text: "how" and "to" are missing, or the
text says "entreposer". When the strict query (all words) finds fewer than
``FEW_HITS`` documents, the words of its top-level AND are searched one by one (each
with its synonyms and stems, as in the strict query), stop words left out, and the
documents holding most of the significant words (more than half) are added: ranked first by
how many of them they hold, then by score, and always below every strict hit (the
caller puts them there, as it does a spelling correction's hits). What is not a
plain word — a quoted phrase, ``NOT``, a keyword field — stays required. Nothing is
relaxed when results are sorted by a field, or when the query has a single word.

Stop words are those of the languages written in the word's script (English,
French and Spanish for Latin letters, Russian for Cyrillic, Arabic), from Whoosh's
lists and a short Arabic one; Chinese, searched as bigrams, has none.
"""

from functools import cache

import numpy as np
from whoosh import query
from whoosh.lang.stopwords import stoplists

from . import analysis, thesaurus

FEW_HITS = 5  # strict hits below this: the relaxed ones are added after them
ARABIC_STOP_WORDS = (
    "من في على الى إلى عن مع ما ماذا هذا هذه ذلك تلك التي الذي الذين و او أو ثم كيف هل "
    "كان لا لم لن قد كل بين عند ان إن أن هو هي"
).split()


@cache
def stop_words() -> frozenset[str]:
    """The folded stop words of every language the engine stems."""
    words = {w for lang in ("en", "fr", "es", "ru") for w in stoplists.get(lang, ())}
    words.update(ARABIC_STOP_WORDS)
    return frozenset(analysis.fold(w) for w in words)


def words_and_required(adapter, q: query.Query) -> tuple[list, list]:
    """(the plain-word children, the other children) of a parsed top-level AND."""
    if type(q) is not query.And:
        return [], []
    words, required = [], []
    for child in q.children():
        (words if thesaurus.word_texts(child, adapter) is not None else required).append(child)
    return words, required


def significant(adapter, words: list) -> list:
    """The words that are not stop words (all of them when every one is)."""
    stops = stop_words()
    kept = [w for w in words
            if not _is_stop(thesaurus.word_texts(w, adapter), stops)]
    return kept or words


def _is_stop(texts: tuple[str, ...] | None, stops: frozenset[str]) -> bool:
    """Whether a word (a one-word tuple of folded texts) is a stop word."""
    return texts is not None and len(texts) == 1 and texts[0] in stops


def matches(ctx, parsed: query.Query) -> tuple[np.ndarray, np.ndarray] | None:
    """(mask, scores) of the relaxed matches of ``parsed``, or None when nothing relaxes.

    Scores order by the number of significant words held, then by relevance (the
    searcher's language preferred); the strict hits are among the mask too.
    """
    words, required = words_and_required(ctx.adapter, parsed)
    if len(words) < 2:
        return None
    expanded = ctx.expand(query.And(significant(ctx.adapter, words)))
    children = list(expanded.children()) if type(expanded) is query.And else [expanded]
    counts = np.zeros(ctx.arrays.size, dtype=np.int32)
    total = np.zeros(ctx.arrays.size, dtype=np.float32)
    for child in children:
        mask, scores = ctx.evaluate(child)
        counts += mask
        total += np.where(mask, scores, np.float32(0))
    keep = counts >= len(children) // 2 + 1  # most of them
    for child in required:
        keep &= ctx.matched(child)
    if not keep.any():
        return None
    total = ctx.prefer(total)
    ceiling = float(total[keep].max()) + 1.0
    return keep, (total + counts.astype(np.float32) * np.float32(ceiling)).astype(np.float32)
