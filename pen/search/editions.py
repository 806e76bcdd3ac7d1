"""Editions of one work: the reader's language edition takes the place of the others.

A work published in several languages is indexed once per edition. A query that
names the work's terms exactly in one language ("PCB" typed by a Russian reader)
scores the English edition highest and the Russian one, found through a synonym,
far below. When an adapter names an ``edition_field`` (a keyword field holding the
work's key) and the searcher has a language, each work among the first
``WINDOW`` (or as many as the page needs) hits in another language is looked up:
if its edition in the reader's language matched too, that edition takes the best
score of the work's matching editions, and the other editions drop to
``OTHER_EDITIONS`` of theirs. Works without an edition in the reader's language,
and documents of no work, keep their scores. Only documents the query matched
(within the searcher's scope) are reordered: nothing is added or hidden.

The cost is one column read per hit of the window and one postings lookup per
distinct work among them, only when the searcher has a language.
"""

import numpy as np

from . import matching

WINDOW = 50  # other-language hits whose works are looked at (more if the page needs)
OTHER_EDITIONS = 0.5  # the other editions of a work whose reader's edition matched


def prefer(ctx, matched: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
    """``scores`` with each work's edition in the searcher's language ranked first."""
    name = getattr(ctx.adapter, "edition_field", "")
    if not name or not ctx.prefer_lang:
        return scores
    own = ctx.arrays.language_mask(ctx.prefer_lang)
    window = matching.top(matched & ~own, scores, max(count, WINDOW))
    works = {ctx.arrays.value(name, docnum) for docnum in window} - {""}
    if not works:
        return scores
    scores = scores.copy()
    for work in sorted(works):
        docs = ctx.arrays.term_docs(name, work)
        _regroup(docs[matched[docs]], own, scores)
    return scores


def _regroup(docs: np.ndarray, own: np.ndarray, scores: np.ndarray) -> None:
    """Give the reader's edition among ``docs`` (one work's matches) the work's best
    score and lower the others; nothing when the reader's edition is not among them."""
    mine, others = docs[own[docs]], docs[~own[docs]]
    if not len(mine) or not len(others):
        return
    best = scores[docs].max()
    scores[mine] = np.maximum(scores[mine], best)
    scores[others] *= np.float32(OTHER_EDITIONS)
