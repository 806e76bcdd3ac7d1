"""Stemming at query time: a word also finds the indexed words sharing its stem.

The index keeps each text field once, folded but not stemmed (``analysis.py``).
When a member searches for a word, each language with a stemmer adds the
indexed words that have the same stem in that language, but only in documents
written in it: "transformateurs" finds "transformateur" in French documents,
"transformers" finds "transformer" in English ones, exactly what stemmed
copies of every field would find, for half the indexing work. The words of
each stem are read from the field's vocabulary once per index segment (a
segment never changes) and cached.
"""

import re

from whoosh import query

from . import analysis, cache
from .adapters import Adapter

STEMMED_BOOST = 0.7  # an exact word outranks a word that only shares its stem
_SCRIPT = {
    "ru": re.compile("[\u0400-\u04ff]"),
    "ar": re.compile("[\u0600-\u06ff]"),
}
_LATIN = re.compile("[a-z]")


def _written_in(lang: str, word: str) -> bool:
    """Whether ``word`` (folded) is in the script of ``lang``'s stemmer."""
    return bool(_SCRIPT.get(lang, _LATIN).search(word))


def expand(q: query.Query, reader, adapter: Adapter) -> query.Query:
    """``q`` with each word of a text field also matching its stem's words, per language."""
    if isinstance(q, query.Term):
        return _word(q, reader) if q.fieldname in adapter.text_fields else q
    if q.is_leaf():
        return q
    return q.apply(lambda child: expand(child, reader, adapter))


def _word(term: query.Term, reader) -> query.Query:
    """A word, or the word OR (for each language) its stem's words in that language."""
    text = term.text if isinstance(term.text, str) else term.text.decode("utf-8")
    alternatives: list[query.Query] = [term]
    for lang in analysis.STEMMED_LANGUAGES:
        if not _written_in(lang, text):
            continue
        # The word itself too: in its language, an exact word also scores as its stem's word.
        words = [_term(term, word) for word in sorted(set(variants(
            reader, term.fieldname, lang, analysis.stemmer(lang)(text))))]
        if words:
            alternatives.append(query.And([query.Term("lang", lang), query.Or(words)]))
    return term if len(alternatives) == 1 else query.Or(alternatives)


def _term(original: query.Term, text: str) -> query.Term:
    """A word standing in for ``original`` (same place in the typed text, for "did you mean")."""
    term = query.Term(original.fieldname, text, boost=original.boost * STEMMED_BOOST)
    term.startchar, term.endchar = original.startchar, original.endchar
    return term


def variants(reader, fieldname: str, lang: str, stem: str) -> list[str]:
    """The indexed words of ``fieldname`` whose stem in ``lang`` is ``stem``."""
    found: list[str] = []
    for leaf, _base in reader.leaf_readers():
        found.extend(stem_tables(leaf, fieldname).get(lang, {}).get(stem, ()))
    return found


def stem_tables(leaf, fieldname: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """{language: {stem: words}} of a field's vocabulary in one segment (cached).

    The vocabulary is read once for every language (reading it is the slow part).
    """
    if leaf.segment() is None or fieldname not in leaf.schema:  # an empty index
        return {}
    key = ("s", cache.segment_key(leaf), fieldname)
    tables = cache.cached(key)
    if tables is not None:
        return tables
    grouped: dict[str, dict[str, list[str]]] = {lang: {} for lang in analysis.STEMMED_LANGUAGES}
    words = 0
    for raw in leaf.lexicon(fieldname):
        word = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        words += 1
        for lang, table in grouped.items():
            if _written_in(lang, word):
                table.setdefault(analysis.stemmer(lang)(word), []).append(word)
    tables = {lang: {stem: tuple(found) for stem, found in table.items()}
              for lang, table in grouped.items()}
    cache.keep(key, tables, words * 3)
    return tables


def highlight_terms(q: query.Query, reader) -> set[tuple[str, str, str | None]]:
    """(field, word, language or None) of every word ``q`` looks for, prefixes expanded.

    A word added by stemming is marked only in documents of its language.
    """
    found: set[tuple[str, str, str | None]] = set()
    _collect(q, reader, None, found)
    return found


def _collect(q: query.Query, reader, lang: str | None, found: set) -> None:
    """Walk the positive part of ``q``, noting the language its stemming words belong to."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        _collect(q.a, reader, lang, found)
        return
    if isinstance(q, query.And):
        langs = [c.text for c in q.children()
                 if isinstance(c, query.Term) and c.fieldname == "lang"]
        lang = langs[0] if langs else lang
    if q.is_leaf():
        for name, text in q.existing_terms(reader, expand=True):
            word = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            found.add((name, word, lang))
        return
    for child in q.children():
        _collect(child, reader, lang, found)
