"""The network's synonym list: terms that mean the same thing, in any of its languages.

Administrators keep groups of terms (PCB ↔ polychlorinated biphenyls ↔ ПХБ ↔ 多氯联苯 ↔
بي سي بي…) on the administration page; ``SEED`` is what a new site starts with (the
migration inserts it, ``seed()`` does it for a database made without migrations). A
search for any term of a group also finds the others, at a lower score
(``thesaurus.py``): this is applied at query time, so a change needs no reindexing.

Other parts may add groups of their own (``register_source``: the vocabulary's labels,
each term with its names in every language); they are read with the list.

Each process keeps the list as a lookup table and reads it again at most every
``SEARCH_SYNONYMS_REFRESH_SECONDS`` (and at once after a change it made itself), so
a search costs no database query for it.
"""

import re
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..errors import ValidationError
from ..extensions import db
from . import analysis
from .models import SearchSynonym

MAX_TERMS, MAX_TERM_CHARS, MAX_TERM_WORDS, MAX_GROUPS = 40, 80, 6, 2000
_CACHE_KEY = "pen.search.synonyms"
_SOURCES_KEY = "pen.search.synonym_sources"
_SEPARATORS = re.compile(r"[\n,;]+")
# Letters (with their marks), digits, spaces and the hyphens, apostrophes and dots of names.
_ALLOWED = re.compile(r"^[\w\s\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670'\u2019.\-]+$")
_LATIN, _CYRILLIC, _ARABIC = re.compile("[a-z]"), re.compile("[\u0400-\u04ff]"), \
    re.compile("[\u0600-\u06ff]")

SEED: tuple[tuple[str, ...], ...] = (
    ("PCB", "PCBs", "PCB's", "polychlorinated biphenyls", "polychlorinated biphenyl",
     "polychlorobiphényles", "biphényles polychlorés", "bifenilos policlorados", "ПХБ",
     "полихлорированные бифенилы", "多氯联苯", "بي سي بي",
     "ثنائيات الفينيل متعددة الكلور", "ثنائي الفينيل متعدد الكلور"),
    ("askarel", "askarels", "askareles", "аскарель", "أسكاريل", "Pyralène", "Piraleno",
     "пирален", "بيرالين", "Sovol", "совол", "سوفول", "Sovtol", "совтол", "Aroclor",
     "арохлор", "阿罗克洛", "أروكلور", "Clophen", "Kanechlor", "Fenclor", "Pyranol", "Delor"),
    ("POPs", "persistent organic pollutants", "polluants organiques persistants",
     "contaminantes orgánicos persistentes", "СОЗ", "стойкие органические загрязнители",  # noqa: RUF001
     "持久性有机污染物", "الملوثات العضوية الثابتة"),
    ("NIP", "NIPs", "national implementation plan", "PNM", "plan national de mise en œuvre",
     "plan nacional de aplicación", "НПВ", "национальный план выполнения", "国家实施计划"),
    ("ESM", "environmentally sound management", "gestion écologiquement rationnelle",
     "gestión ambientalmente racional", "экологически обоснованное регулирование",
     "环境无害化管理", "الإدارة السليمة بيئيا"),
    ("GC-ECD", "gas chromatography", "chromatographie en phase gazeuse",
     "cromatografía de gases", "газовая хроматография", "气相色谱"),
    ("استكهولم", "استوكهولم", "ستوكهولم"),
)


@dataclass(frozen=True)
class Table:
    """The list as a search reads it: for each term's key, the other terms' words."""

    alternatives: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    longest: int = 1


def words(term: str) -> tuple[str, ...]:
    """The indexed words of a term (folded; CJK as bigrams), as the analyzer makes them."""
    return tuple(analysis.base_analyzer().words(term))


def key(folded: tuple[str, ...]) -> tuple[str, ...]:
    """What a term is matched by: each word's stem in its script's stemmer, so
    "полихлорированных бифенилов" meets "полихлорированные бифенилы"."""
    return tuple(_stem(word) for word in folded)


def _stem(word: str) -> str:
    """A word's stem: Russian for Cyrillic, Arabic for Arabic, English for Latin."""
    for pattern, lang in ((_CYRILLIC, "ru"), (_ARABIC, "ar"), (_LATIN, "en")):
        if pattern.search(word) and lang in analysis.STEMMED_LANGUAGES:
            return analysis.stemmer(lang)(word)
    return word


def build(groups: list[list[str]]) -> Table:
    """The lookup table of some groups (a term in several groups gets all their terms).

    Terms sharing a key are one alternative ("PCB" and "PCBs": stemming finds the
    other), and a term is never its own alternative, so a search evaluates each
    different term of its groups once.
    """
    table: dict[tuple[str, ...], dict[tuple[str, ...], tuple[str, ...]]] = {}
    for group in groups:
        forms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for term in group:
            folded = words(term)
            if folded:
                forms.setdefault(key(folded), folded)
        for own in forms:
            table.setdefault(own, {}).update((k, v) for k, v in forms.items() if k != own)
    table = {k: v for k, v in table.items() if v}
    return Table({k: tuple(sorted(v.values())) for k, v in table.items()},
                 max((len(k) for k in table), default=1))


def current() -> Table:
    """This process's table, read again when older than the refresh interval."""
    cached = current_app.extensions.get(_CACHE_KEY)
    refresh = float(current_app.config.get("SEARCH_SYNONYMS_REFRESH_SECONDS", 30))
    if cached is None or time.monotonic() - cached[0] > refresh:
        extra = [group for source in current_app.extensions.get(_SOURCES_KEY, ())
                 for group in source()]
        cached = (time.monotonic(), build([row.term_list for row in groups()] + extra))
        current_app.extensions[_CACHE_KEY] = cached
    return cached[1]


def register_source(app, source) -> None:
    """Add groups of terms from elsewhere (``source()`` -> lists of terms: the
    vocabulary's labels) to the administrators' list of ``app``."""
    app.extensions.setdefault(_SOURCES_KEY, []).append(source)


def forget() -> None:
    """Drop this process's table (after a change)."""
    current_app.extensions.pop(_CACHE_KEY, None)


def groups() -> list[SearchSynonym]:
    """Every group, oldest first."""
    return list(db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.id)))


def parse_terms(text: str) -> list[str]:
    """The terms of an administrator's text (one a line, or separated by , or ;),
    checked; raises ``ValidationError`` saying what is wrong."""
    terms = list(dict.fromkeys(" ".join(t.split()) for t in _SEPARATORS.split(text or "")))
    terms = [t for t in terms if t]
    for term in terms:
        if len(term) > MAX_TERM_CHARS or not _ALLOWED.match(term):
            raise ValidationError(_("“%(term)s” is not a term: use letters, digits, spaces, "
                                    "hyphens and apostrophes (at most %(n)d characters).",
                                    term=term[:MAX_TERM_CHARS], n=MAX_TERM_CHARS), "terms")
        if not words(term) or len(words(term)) > MAX_TERM_WORDS * 3:
            raise ValidationError(_("“%(term)s” has no word to search for, or too many.",
                                    term=term), "terms")
    if len({words(t) for t in terms}) < 2:
        raise ValidationError(_("Give at least two different terms."), "terms")
    if len(terms) > MAX_TERMS:
        raise ValidationError(_("A group has at most %(n)d terms.", n=MAX_TERMS), "terms")
    return terms


def save(actor, text: str, synonym: SearchSynonym | None = None) -> SearchSynonym:
    """Add a group (or replace ``synonym``'s terms) from an administrator's text."""
    terms = parse_terms(text)
    if synonym is None:
        if len(groups()) >= MAX_GROUPS:
            raise ValidationError(_("The list is full (%(n)d groups).", n=MAX_GROUPS), "terms")
        synonym = SearchSynonym()
        db.session.add(synonym)
    before = synonym.term_list
    synonym.terms = "\n".join(terms)
    db.session.flush()
    audit.record(actor, "search.synonyms_save", synonym, before=before, terms=terms)
    db.session.commit()
    forget()
    return synonym


def delete(actor, synonym: SearchSynonym) -> None:
    """Remove a group."""
    audit.record(actor, "search.synonyms_delete", synonym, terms=synonym.term_list)
    db.session.delete(synonym)
    db.session.commit()
    forget()


def seed() -> int:
    """Insert ``SEED`` into an empty list (a database made without migrations); how many."""
    if groups():
        return 0
    db.session.add_all(SearchSynonym(terms="\n".join(group)) for group in SEED)
    db.session.flush()
    forget()
    return len(SEED)
