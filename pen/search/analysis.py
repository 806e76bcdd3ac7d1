"""Analyzers: how text becomes index terms, for every language the network writes in.

Every text field is indexed twice (see ``schema.py``):

* a **base** field, language-neutral: words are lowercased and folded (accents,
  ligatures, Arabic diacritics and letter variants removed, so "Gonzalez" finds
  "González" and "Ouedraogo" finds "Ouédraogo"); runs of Chinese, Japanese or
  Korean characters become overlapping bigrams ("多氯联苯" -> 多氯 氯联 联苯),
  the usual way to search text written without spaces. Names, codes, phrases,
  prefixes and spelling suggestions use this field.
* one **stemmed** field per language with a Whoosh stemmer (en, fr, es, ru, ar),
  filled only when the document says it is written in that language: the same
  chain followed by the language's stemmer, so "transformateurs" finds
  "transformateur". Folding comes *before* stemming so that a query typed
  without accents is stemmed the same way as the accented text.

A query is analysed by every field's own analyzer, so a French word finds French
documents through French stemming and any document through the base field.
"""

import re
import unicodedata

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.lang import has_stemmer
from whoosh.support.charset import accent_map

# Languages whose documents get a stemmed field. Chinese needs no stemmer (bigrams).
STEMMED_LANGUAGES = tuple(lang for lang in ("en", "fr", "es", "ru", "ar") if has_stemmer(lang))

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD_CHAR = rf"[^\W{_CJK}]"
# A CJK run, or a word: letters and digits with their combining marks, inner dots kept.
TOKEN_PATTERN = rf"[{_CJK}]+|{_WORD_CHAR}(?:{_WORD_CHAR}|[{_MARKS}])*(?:\.{_WORD_CHAR}+)*"
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")
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


class FoldFilter(CharsetFilter):
    """Accent and case-variant folding through ``FOLD_MAP``.

    The map is a class attribute, so it is not pickled into the index's schema.
    """

    charmap = FOLD_MAP

    def __init__(self):
        """No state: the table lives on the class."""

    def __call__(self, tokens):
        """Fold each token's text (NFC first, so decomposed input folds the same)."""
        for t in tokens:
            if not t.text.isascii():  # plain ASCII has nothing to fold
                t.text = unicodedata.normalize("NFC", t.text).translate(FOLD_MAP)
            yield t


class CJKBigramFilter(Filter):
    """Split runs of CJK characters into overlapping bigrams; renumber positions.

    A run of one character stays a unigram. Character offsets point into the
    original text, so highlighting marks the right characters.
    """

    def __eq__(self, other):
        """Filters without settings are equal when of the same class."""
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        """Yield each token, or its bigrams, with consecutive positions."""
        pos = 0
        for t in tokens:
            text = t.text
            if len(text) < 2 or text.isascii() or not _CJK_RUN.match(text):
                if t.positions:
                    t.pos = pos
                pos += 1
                yield t
                continue
            start = t.startchar if t.chars else 0
            for i in range(len(text) - 1):
                t.text = text[i:i + 2]
                if t.positions:
                    t.pos = pos
                if t.chars:
                    t.startchar, t.endchar = start + i, start + i + 2
                pos += 1
                yield t


def base_analyzer():
    """Tokenise, lowercase, fold, make CJK bigrams: the language-neutral chain."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | FoldFilter() | CJKBigramFilter()


def stemming_analyzer(lang: str):
    """The base chain followed by the stemmer of ``lang``."""
    return base_analyzer() | StemFilter(lang=lang, cachesize=20000)


def fold(text: str) -> str:
    """Lowercase and fold a string the way the base analyzer folds each word."""
    return unicodedata.normalize("NFC", text.lower()).translate(FOLD_MAP)


def stemmer(lang: str):
    """The stemming function Whoosh has for ``lang`` (applied to folded words)."""
    from whoosh.lang import stemmer_for_language

    return stemmer_for_language(lang)


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a Chinese, Japanese or Korean character."""
    return bool(_CJK_CHAR.search(text))
