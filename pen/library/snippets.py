"""Where in a long text a search hit is: a window for the snippet and its page number.

The engine makes snippets from the text the adapter hands it. For a library
document that text can be megabytes, so the adapter passes only a window around
the first occurrence of a query word, found here with a cheap regular
expression (a word's first letters, any case: close to what the stemmers
match). The page that window falls on is remembered for the search page, which
prints "p. 12" beside the snippet when the PDF has pages.
"""

import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request

from .models import page_at

BEFORE, AFTER = 150, 450  # characters kept around the first match (snippets are 200)
HEAD = 1000  # characters kept when no query word is found
_query: ContextVar[str | None] = ContextVar("library_query", default=None)
_pages: ContextVar[dict | None] = ContextVar("library_pages", default=None)
_OPERATORS = {"and", "or", "not", "andnot", "andmaybe"}
_WORD = re.compile(r"\w+", re.UNICODE)


def _accent_table() -> dict[int, str]:
    """Accented Latin letters to their base letter, one character for one (offsets kept)."""
    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base
    return table


_UNACCENT = _accent_table()


def unaccent(text: str) -> str:
    """``text`` without accents on Latin letters, of the same length."""
    return text.translate(_UNACCENT)


@contextmanager
def tracking(q: str):
    """Within the block, windows follow ``q``; yields {document id: page label} as found."""
    pages: dict[int, str] = {}
    query_token, pages_token = _query.set(q), _pages.set(pages)
    try:
        yield pages
    finally:
        _query.reset(query_token)
        _pages.reset(pages_token)


def query_pattern(q: str | None) -> re.Pattern | None:
    """A pattern finding any of the query's words by their first letters; None if no words."""
    words = []
    for part in (q or "").split():
        if part.startswith("-") or part.lower() in _OPERATORS:
            continue
        value = part.split(":", 1)[-1]
        for word in _WORD.findall(unaccent(value)):
            if len(word) >= 2:
                words.append(word[:max(4, len(word) - 2)])
    if not words:
        return None
    alternatives = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _current_query() -> str | None:
    """The words being searched: those of ``tracking``, else the page's ``q``."""
    query = _query.get()
    if query is None and has_request_context():
        query = request.args.get("q", "")
    return query


def window(document_id: int, text: str, pages: list[tuple[int, str]]) -> str:
    """The part of a text around the first query word (or its beginning)."""
    pattern = query_pattern(_current_query())
    found = pattern.search(unaccent(text)) if pattern else None
    if found is None:
        return text[:HEAD]
    start = max(0, found.start() - BEFORE)
    if start:
        space = text.find(" ", start, found.start())
        start = space + 1 if space != -1 else start
    seen = _pages.get()
    label = page_at(pages, found.start())
    if seen is not None and label is not None:
        seen[document_id] = label
    return text[start:found.end() + AFTER]
