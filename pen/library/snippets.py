"""Where in a long text a search hit is: a window for the snippet and its page number.

The engine makes snippets from the text the adapter hands it. For a library
document that text can be megabytes, so the adapter passes only a window around
the passage with the most query words: a cheap regular expression (a word's
first letters, any case) finds candidates, and a candidate counts when its whole
word is a query word or shares its stem, as the search matched it. The page that
passage starts on is remembered for the search page, which prints "p. 12"
beside the snippet when the PDF has pages.
"""

import itertools
import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request

from pen.search import analysis

from .models import page_at

# Characters kept before and after the passage: a snippet is at most 200 characters and
# starts at most 60 before its first match (``pen.search.highlight``); every character more
# is analysed for nothing (a token each in Chinese).
BEFORE, AFTER = 100, 300
HEAD = 1000  # characters kept when no query word is found
PASSAGE = 160  # characters of a snippet (200) in which the query words are counted
MAX_CANDIDATES = 1000  # prefix matches examined in one text
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


def _accented_by_base(table: dict[int, str]) -> dict[str, str]:
    """Each base letter (lower case) and the accented letters that fold to it."""
    found: dict[str, str] = {}
    for code, base in table.items():
        found[base.lower()] = found.get(base.lower(), "") + chr(code)
    return found


_UNACCENT = _accent_table()
_ACCENTED = _accented_by_base(_UNACCENT)


def unaccent(text: str) -> str:
    """``text`` without accents on Latin letters, of the same length."""
    return text.translate(_UNACCENT)


def _any_accent(word: str) -> str:
    """A pattern for ``word`` matching each letter with or without an accent (case is the
    caller's flag): the text is searched as it is, not copied without its accents first,
    which cost more than the search on a long text."""
    return "".join(f"[{re.escape(c)}{_ACCENTED[c.lower()]}]" if c.lower() in _ACCENTED
                   else re.escape(c) for c in word)


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
            if analysis.has_cjk(word):
                words.append(word)  # no inflection, no spaces: the word as it is written
            elif len(word) >= 2:
                words.append(word[:max(4, len(word) - 2)])
    if not words:
        return None
    alternatives = sorted({_any_accent(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _current_query() -> str | None:
    """The words being searched: those of ``tracking``, else the page's ``q``."""
    query = _query.get()
    if query is None and has_request_context():
        query = request.args.get("q", "")
    return query


def window(document_id: int, text: str, pages: list[tuple[int, str]]) -> str:
    """The part of a text around the best passage for the query (or its beginning)."""
    query = _current_query()
    pattern = query_pattern(query)
    start = best_passage(text, query, pattern) if pattern else None
    if start is None:
        return text[:HEAD]
    seen = _pages.get()
    label = page_at(pages, start)
    if seen is not None and label is not None:
        seen[document_id] = label
    cut = max(0, start - BEFORE)
    if cut:
        space = text.find(" ", cut, start)
        cut = space + 1 if space != -1 else cut
    return text[cut:start + AFTER]


def best_passage(text: str, query: str | None, pattern: re.Pattern) -> int | None:
    """Where the passage with the most query words starts; None if no word is found.

    The prefix ``pattern`` finds candidates cheaply; a candidate counts when its
    whole word is a query word or shares its stem (as the search matched it), an
    exact word counting more. Without such a word, the first prefix match (a
    wildcard query's, say) is the passage.
    """
    keys, known = _query_keys(query), {}
    hits, first = [], None
    for found in itertools.islice(pattern.finditer(text), MAX_CANDIDATES):
        first = found.start() if first is None else first
        start, word = _candidate(text, found)
        if word not in known:  # a long text repeats its words: stem each once
            known[word] = _matches(word, keys)
        exact, stemmed = known[word]
        if exact is not None or stemmed is not None:
            hits.append((start, exact, stemmed))
    if not hits:
        return first
    best = max(range(len(hits)), key=lambda i: (_passage_score(hits, i), -i))
    return hits[best][0]


def _query_keys(query: str | None) -> list[tuple[str, set[str]]]:
    """Each query word folded, with its stems in the languages search stems."""
    keys = []
    for part in (query or "").split():
        if part.startswith("-") or part.lower() in _OPERATORS:
            continue
        for word in _WORD.findall(analysis.fold(part.split(":", 1)[-1])):
            keys.append((word, _stems(word)))
    return keys


def _stems(word: str) -> set[str]:
    """The stems of a folded word in every stemmed language."""
    return {analysis.stemmer(lang)(word) for lang in analysis.STEMMED_LANGUAGES}


def _matches(word: str, keys) -> tuple[int | None, int | None]:
    """(index of the query word ``word`` is, index of one it shares a stem with)."""
    folded = analysis.fold(word)
    exact = next((i for i, (key, _) in enumerate(keys) if key == folded), None)
    if exact is not None:
        return exact, None
    stems = _stems(folded)
    return None, next((i for i, (_, key_stems) in enumerate(keys) if stems & key_stems), None)


def _candidate(text: str, found: re.Match) -> tuple[int, str]:
    """Where the word of a prefix match starts, and the word. Chinese and Japanese are
    written without spaces, so the word there is what matched (a query word, whole)."""
    if analysis.has_cjk(found.group(0)[0]):
        return found.start(), found.group(0)
    start = _word_start(text, found.start())
    word = _WORD.match(text, start)
    return start, word.group(0) if word else ""


def _word_start(text: str, offset: int) -> int:
    """Where the word containing ``offset`` starts."""
    while offset > 0 and (text[offset - 1].isalnum() or text[offset - 1] == "_"):
        offset -= 1
    return offset


def _passage_score(hits: list[tuple[int, int | None, int | None]], i: int) -> tuple[int, int]:
    """(distinct query words, exact words) among the hits within a snippet of hit ``i``."""
    words, exact = set(), 0
    for start, is_exact, stemmed in itertools.islice(hits, i, None):
        if start - hits[i][0] > PASSAGE:
            break
        words.add(is_exact if is_exact is not None else stemmed)
        exact += is_exact is not None
    return len(words), exact
