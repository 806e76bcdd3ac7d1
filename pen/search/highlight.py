"""Snippets: the database text of a hit with the matched words in ``<mark>``.

The text comes from the database (``adapter.source_texts``), never from the
index, and only for hits the searcher may open. It is HTML-escaped here, so
the returned ``Markup`` is safe to print as it is.
"""

import functools

from markupsafe import Markup, escape
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    ContextFragmenter,
    Formatter,
    WholeFragmenter,
    get_text,
    top_fragments,
)

from . import analysis

SNIPPET_CHARS = 200
FRAGMENTS = 2


class MarkFormatter(Formatter):
    """Escaped text with matches in ``<mark>``; fragments joined by an ellipsis."""

    between = " "

    def _text(self, text: str) -> str:
        """Escape the text between matches."""
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        """Escape a match and wrap it in ``<mark>``."""
        return f"<mark>{escape(get_text(text, token, replace))}</mark>"

    def format_fragment(self, fragment, replace=False):
        """A fragment, with an ellipsis where it cuts the text short."""
        body = super().format_fragment(fragment, replace=replace)
        before = "…" if fragment.startchar > 0 else ""
        after = "…" if fragment.endchar < len(fragment.text) else ""
        return f"{before}{body}{after}"


@functools.cache
def _analyzer():
    """The base analyzer (one per process; it only holds settings)."""
    return analysis.base_analyzer()


def highlight_text(text: str, words: set[str]) -> Markup | None:
    """The best fragments of ``text`` with matched words marked; None if none matched.

    A word matches when its folded form is one of ``words``: the indexed words
    the query looks for (stemming adds the words sharing a stem, see ``stemming.py``).
    """

    def marked(tokens):
        """Flag each token that is one of the words."""
        for t in tokens:
            t.matched = t.text in words
            yield t

    tokens = whole_cjk_words(marked(_analyzer()(text, chars=True, positions=True,
                                                mode="index", removestops=False)))
    if len(text) <= SNIPPET_CHARS:
        fragmenter = WholeFragmenter()
    else:
        fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    fragments = fragmenter.fragment_tokens(text, tokens)
    best = top_fragments(fragments, FRAGMENTS, BasicFragmentScorer(), FIRST)
    if not best:
        return None
    return Markup(MarkFormatter().format(best))  # noqa: S704 - every part escaped above


def whole_cjk_words(tokens):
    """Matched tokens with overlapping matches merged into one: whole CJK words marked.

    Chinese is indexed as overlapping bigrams, so "变压器" matches 变压 and 压器;
    Whoosh's formatter skips a match overlapping the previous one and would mark
    only "变压". A match overlapping the pending one extends it instead.
    """
    pending = None
    for t in tokens:
        if t.matched and pending is not None and t.startchar < pending.endchar:
            pending.endchar = max(pending.endchar, t.endchar)
            continue
        if pending is not None:
            yield pending
            pending = None
        if t.matched:
            pending = t.copy()  # the analyzer reuses one Token object
        else:
            yield t
    if pending is not None:
        yield pending


def highlights(texts: dict[str, str], matched: set[tuple[str, str, str | None]],
               lang: str | None) -> dict[str, Markup]:
    """A snippet per text field whose database text contains a matched word.

    ``matched`` holds (field, word, language): a word added by stemming in a
    language is only marked in documents written in it.
    """
    out = {}
    for name, text in texts.items():
        words = {w for f, w, in_lang in matched if f == name and in_lang in (None, lang)}
        if not words:
            continue
        snippet = highlight_text(text, words)
        if snippet is not None:
            out[name] = snippet
    return out


def plain_snippet(texts: dict[str, str]) -> Markup:
    """The start of the first text, escaped: the snippet of a hit with nothing to mark."""
    for text in texts.values():
        text = " ".join(text.split())
        if text:
            cut = text[:SNIPPET_CHARS]
            return escape(cut + ("…" if len(text) > SNIPPET_CHARS else ""))
    return Markup("")
