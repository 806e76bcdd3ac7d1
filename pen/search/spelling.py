"""“Did you mean”: a corrected query, offered only when the searcher can see its hits.

A word is corrected when no field it was searched in knows it; the
replacement is the closest word of the unstemmed text fields. The index's
vocabulary includes words of documents the searcher may not open, so a
suggestion is shown only if each replaced word, and the corrected query as a
whole, find documents the searcher may open.
"""

from collections import defaultdict

import numpy as np
from whoosh import query

from . import analysis, parsing

PROBE_HITS = 20
MIN_WORD = 3


def suggest(ctx, parsed: parsing.Parsed) -> str | None:
    """The corrected query text, or None when there is nothing visible to suggest."""
    corrections = _corrections(ctx, parsed)
    if not corrections:
        return None
    text = parsed.text
    for start, end, word in sorted(corrections, reverse=True):
        text = text[:start] + word + text[end:]
    if not all(_finds_visible(ctx, _word_query(ctx.adapter, w)) for _, _, w in corrections):
        return None
    reparsed = parsing.parse(ctx.adapter, text)
    if reparsed.query is None or reparsed.messages:
        return None
    return text if _finds_visible(ctx, reparsed.query) else None


def _corrections(ctx, parsed: parsing.Parsed) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for each unknown word of the query text."""
    reader = ctx.searcher.reader()
    spans: dict[tuple[int, int], set[tuple[str, str]]] = defaultdict(set)
    for token in _positive_terms(parsed.query):
        if getattr(token, "startchar", None) is not None:
            spans[(token.startchar, token.endchar)].add((token.fieldname, token.text))
    out = []
    for (start, end), terms in spans.items():
        word = parsed.text[start:end]
        if any(term in reader for term in terms) or not _correctable(ctx, word, terms):
            continue
        replacement = _closest(ctx, analysis.fold(word))
        if replacement and replacement != analysis.fold(word):
            out.append((start, end, replacement))
    return out


def _correctable(ctx, word: str, terms: set[tuple[str, str]]) -> bool:
    """A plain word of at least ``MIN_WORD`` letters searched in a text field."""
    in_text = any(name in ctx.adapter.text_fields for name, _ in terms)
    return in_text and len(word) >= MIN_WORD and word.isalpha() and not analysis.has_cjk(word)


def _positive_terms(q: query.Query):
    """The tokens of plain terms the query looks for (not those after NOT)."""
    for leaf in parsing.positive_leaves(q):
        if type(leaf) is query.Term:
            yield from leaf.tokens()


def _closest(ctx, word: str) -> str | None:
    """The nearest known word in the text fields, most important field first."""
    fields = sorted(ctx.adapter.text_fields, key=lambda n: -ctx.adapter.text_fields[n])
    for name in fields:
        found = ctx.searcher.suggest(name, word, limit=1, maxdist=2, prefix=1)
        if found:
            return found[0]
    return None


def _word_query(adapter, word: str) -> query.Query:
    """A word in any unstemmed text field."""
    return query.Or([query.Term(name, word) for name in adapter.text_fields])


def _finds_visible(ctx, q: query.Query) -> bool:
    """Whether ``q`` finds, within the scope, a document the searcher may open."""
    docnums = np.flatnonzero(ctx.matched(q))[:PROBE_HITS]
    return bool(ctx.visible(ctx.ids(docnums)))
