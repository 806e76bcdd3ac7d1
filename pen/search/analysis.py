"""Analyzers: how text becomes index terms, for every language the network writes in.

Every text field is indexed once, language-neutral: words are lowercased and
folded (accents, ligatures, Arabic diacritics and letter variants removed, so
"Gonzalez" finds "González" and "Ouedraogo" finds "Ouédraogo"); runs of
Chinese, Japanese or Korean characters become overlapping bigrams ("多氯联苯" ->
多氯 氯联 联苯), the usual way to search text written without spaces. Names,
codes, phrases, prefixes and spelling suggestions use these words directly.

Stemming (en, fr, es, ru, ar: the languages Whoosh has a stemmer for) happens
at query time (``stemming.py``): a query word also finds the indexed words that
share its stem in a language, in documents written in that language, so
"transformateurs" finds "transformateur" in French text. Folding comes *before*
stemming, so a query typed without accents is stemmed the same way as the
accented text. Indexing stemmed copies of every field would find the same
documents for twice the indexing work. ``STEM_EXCEPTIONS`` corrects Snowball for
the domain's words (Russian "бифенил"); being query-time, it needs no reindexing.

The whole chain runs in one pass (``FoldingTokenizer``; ``FoldedPositions`` and
``CommaFrequency`` fill Whoosh's postings without its token pipeline), which is
what Whoosh spends most of its indexing time on.
"""

import functools
import re
import unicodedata

from whoosh import formats
from whoosh.analysis import Token, Tokenizer
from whoosh.lang import has_stemmer, stemmer_for_language
from whoosh.support.charset import accent_map

# Languages whose documents get a stemmed field. Chinese needs no stemmer (bigrams).
STEMMED_LANGUAGES = tuple(lang for lang in ("en", "fr", "es", "ru", "ar") if has_stemmer(lang))

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD_CHAR = rf"[^\W{_CJK}]"
# A CJK run, or a word: letters and digits with their combining marks, inner dots kept.
TOKEN_PATTERN = rf"[{_CJK}]+|{_WORD_CHAR}(?:{_WORD_CHAR}|[{_MARKS}])*(?:\.{_WORD_CHAR}+)*"
_TOKEN = re.compile(TOKEN_PATTERN)
_CJK_CHAR = re.compile(rf"[{_CJK}]")


def _fold_map() -> dict[int, str | None]:
    """Whoosh's ``accent_map`` plus ligatures, Cyrillic ё and Arabic normalisation."""
    table: dict[int, str | None] = dict(accent_map)
    table.update({ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss"})
    table[0x451] = "\u0435"  # Cyrillic yo -> ie
    table.update(dict.fromkeys([0x623, 0x625, 0x622, 0x671], "\u0627"))  # alef variants -> alef
    table[0x649] = "\u064a"  # alef maqsura -> yeh
    table[0x629] = "\u0647"  # teh marbuta -> heh
    table[0x640] = None  # tatweel
    for first, last in ((0x300, 0x36F), (0x610, 0x61A), (0x64B, 0x65F), (0x6D6, 0x6ED)):
        table.update(dict.fromkeys(range(first, last + 1)))  # combining marks, harakat
    table[0x670] = None
    return table


FOLD_MAP = _fold_map()


def fold(text: str) -> str:
    """Lowercase and fold a string the way the analyzers fold each word.

    NFKC first: full-width and half-width forms become their ordinary letters and
    digits (full-width "PCB" is "pcb"), Arabic presentation forms their letters.
    """
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower().translate(FOLD_MAP)


# Stemmer exceptions for the network's vocabulary, where Snowball splits a word's forms.
# Russian Snowball takes the "-ил"/"-ила" of "бифенил", "бифенила" for a verb's past
# tense ("бифен") but stems the other cases to "бифенил", so the singular never found
# the plural. A word ending in one of ``stems`` plus a noun ending keeps the word up to
# the stem ("полихлорбифенилов" -> "полихлорбифенил"); ``words`` maps irregular forms.
# Stemming runs at query time only (the index holds unstemmed words), so changing this
# table needs no reindexing: a restarted process stems the vocabulary anew.
STEM_EXCEPTIONS: dict[str, dict] = {
    "ru": {
        "stems": ("фенил", "пирален"),
        "endings": ("", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах"),  # noqa: RUF001
        "words": {"масел": "масл"},
    },
}


@functools.cache
def stemmer(lang: str):
    """The (cached) stemming function for ``lang``, applied to folded words.

    Whoosh's Snowball stemmer, except for the words ``STEM_EXCEPTIONS`` names.
    """
    snowball = stemmer_for_language(lang)
    exceptions = STEM_EXCEPTIONS.get(lang)
    if not exceptions:
        return functools.lru_cache(maxsize=50_000)(snowball)

    def stem(word: str) -> str:
        """The exception's stem if ``word`` has one, else Snowball's."""
        return _exceptional_stem(word, exceptions) or snowball(word)

    return functools.lru_cache(maxsize=50_000)(stem)


def _exceptional_stem(word: str, exceptions: dict) -> str | None:
    """The stem ``exceptions`` give ``word`` (domain stem + noun ending, or listed), or None."""
    if word in exceptions["words"]:
        return exceptions["words"][word]
    for ending in exceptions["endings"]:
        base = word[:len(word) - len(ending)] if ending else word
        if word.endswith(ending) and base.endswith(exceptions["stems"]):
            return base
    return None


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a Chinese, Japanese or Korean character."""
    return bool(_CJK_CHAR.search(text))


class FoldingTokenizer(Tokenizer):
    """Words lowercased and folded (then stemmed, for ``lang``); CJK runs as bigrams.

    Positions count bigrams, so a phrase of Chinese characters matches only
    consecutive ones; character offsets point into the original text, so
    highlighting marks the right characters. A CJK run of one character stays
    a unigram. Only ``lang`` is pickled into the index's schema.
    """

    def __init__(self, lang: str | None = None):
        """``lang``: a language of ``STEMMED_LANGUAGES``, or None for no stemming."""
        self.lang = lang

    def __eq__(self, other):
        """Equal when of the same class and language."""
        return type(other) is type(self) and other.lang == self.lang

    def __hash__(self):
        """Hash by class and language, as equality does."""
        return hash((type(self), self.lang))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        """Yield one reused ``Token`` per term, as Whoosh's tokenizers do."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        stem = stemmer(self.lang) if self.lang else None
        if not tokenize:  # the parser hands over a whole term (e.g. a wildcard)
            yield self._whole(t, value, stem, start_pos, start_char)
            return
        pos = start_pos
        for match in _TOKEN.finditer(value):
            text, start = match.group(0), start_char + match.start()
            if len(text) > 1 and _CJK_CHAR.match(text):
                for i in range(len(text) - 1):
                    yield self._set(t, text[i:i + 2], pos, start + i, start + i + 2)
                    pos += 1
                continue
            if keeporiginal:
                t.original = text
            text = fold(text)
            if text:
                yield self._set(t, stem(text) if stem else text, pos, start,
                                start_char + match.end())
                pos += 1

    def words(self, value: str) -> list[str]:
        """The terms of ``value`` in order, as ``__call__`` yields them (no Token objects)."""
        stem = stemmer(self.lang) if self.lang else None
        out: list[str] = []
        for text in _TOKEN.findall(value):
            if len(text) > 1 and _CJK_CHAR.match(text):
                out.extend(text[i:i + 2] for i in range(len(text) - 1))
                continue
            text = fold(text)
            if text:
                out.append(stem(text) if stem else text)
        return out

    @staticmethod
    def _set(t: Token, text: str, pos: int, startchar: int, endchar: int) -> Token:
        """Fill the reused token."""
        t.text = text
        t.stopped = False
        if t.positions:
            t.pos = pos
        if t.chars:
            t.startchar, t.endchar = startchar, endchar
        return t

    @classmethod
    def _whole(cls, t: Token, value: str, stem, start_pos: int, start_char: int) -> Token:
        """The whole value as one folded (and stemmed) term."""
        text = fold(value)
        t.original = value
        return cls._set(t, stem(text) if stem and text else text, start_pos, start_char,
                        start_char + len(value))


class FoldedPositions(formats.Positions):
    """Whoosh's ``Positions`` format (same bytes on disk), filled without Token objects.

    Indexing spends most of its time turning text into postings; with the
    ``FoldingTokenizer`` the words are listed directly and a word's single
    position (the usual case) is encoded once per position, not once per posting.
    """

    def word_values(self, value, analyzer, **kwargs):
        """(word, frequency, weight, encoded positions) of each distinct word of ``value``."""
        if not isinstance(analyzer, FoldingTokenizer) or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        positions: dict[str, list[int]] = {}
        for pos, word in enumerate(analyzer.words(value)):
            found = positions.get(word)
            if found is None:
                positions[word] = [pos]
            else:
                found.append(pos)
        boost = self.field_boost
        for word, found in positions.items():
            encoded = _single_position(found[0]) if len(found) == 1 else self.encode(found)
            yield word, len(found), len(found) * boost, encoded


class CommaFrequency(formats.Frequency):
    """Whoosh's ``Frequency`` format for comma-separated keywords, without a token pipeline.

    Same postings as a ``KEYWORD(commas=True)`` field's own analyzer (values
    split on commas and stripped, case kept); the engine never writes empty values.
    """

    def word_values(self, value, analyzer, **kwargs):
        """(value, frequency, weight, encoded frequency) of each distinct keyword."""
        if not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        counts: dict[str, int] = {}
        for part in value.split(","):
            word = part.strip()
            if word:
                counts[word] = counts.get(word, 0) + 1
        boost = self.field_boost
        for word, count in counts.items():
            yield word, count, count * boost, _packed_count(count)


@functools.lru_cache(maxsize=64)
def _packed_count(count: int) -> bytes:
    """A frequency as Whoosh's ``Frequency`` format stores it."""
    return formats.pack_uint(count)


@functools.lru_cache(maxsize=4096)
def _single_position(pos: int) -> bytes:
    """The encoding of a one-position list, as ``Positions.encode`` writes it."""
    return formats.Positions().encode([pos])


def base_analyzer() -> FoldingTokenizer:
    """Tokenise, lowercase, fold, make CJK bigrams: the language-neutral chain."""
    return FoldingTokenizer()
