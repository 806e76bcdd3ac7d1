"""Vocabulary labels: each term of a list members see, in every language of the interface.

A *kind* is one list (expertise areas, organisation types, forum categories, tags,
award categories…). Its area registers it (``register_kind(app, Kind(…))``): how to
list its terms as ``(key, English name)`` and, for a fixed list whose names are
translated in the message catalogues, those translations. Administrators give a
term a label per language at ``/admin/vocabulary``; the labels live in one table,
``vocabulary_labels(kind, key, locale, label)``.

A label is looked up in this order: the administrators' label in the reader's
language, the catalogue's translation (fixed lists), the English name. The labels
of every kind are read once per request and language (one query, none in English),
never one query per term or per kind. Templates call ``vocab(kind, key, english)``.

Searches find a term by its label in any language: the labels of the kinds marked
``searchable`` are offered to the search engine as synonym groups (term ↔ its
labels), applied at query time, so an edit needs no reindexing.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g, has_app_context
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from . import audit
from .errors import ValidationError
from .extensions import db
from .search import synonyms as search_synonyms
from .types import UTCDateTime, utcnow

#: The languages a label is given in (English is the term's own name).
LOCALES = ("ar", "es", "fr", "ru", "zh")
MAX_LABEL = 120
_MARKUP = re.compile(r"[<>\x00-\x1f\x7f]|&[#\w]+;")
_KINDS_KEY = "pen.vocabulary.kinds"
_CACHE_ATTR = "_pen_vocabulary"


class VocabularyLabel(db.Model):
    """A term's label in one language, given by an administrator."""

    __tablename__ = "vocabulary_labels"
    __table_args__ = (UniqueConstraint("kind", "key", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(MAX_LABEL))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@dataclass(frozen=True)
class Kind:
    """One list of terms: ``terms()`` -> ``[(key, English name)]`` in display order;
    ``fixed``: the catalogue's lazy labels of a fixed list, by key; ``searchable``: a
    search for a label also finds the English name; ``max_length`` of a label."""

    name: str
    title: object
    terms: Callable[[], list[tuple[str, str]]]
    fixed: Mapping | None = None
    searchable: bool = False
    max_length: int = MAX_LABEL


def fixed_terms(mapping: Mapping) -> Callable[[], list[tuple[str, str]]]:
    """The ``terms`` of a fixed list of lazy catalogue labels: their English names."""
    def terms() -> list[tuple[str, str]]:
        with force_locale("en"):
            return [(key, str(label)) for key, label in mapping.items()]
    return terms


def register_kind(app, kind: Kind) -> None:
    """Let an area make its list translatable on ``app`` (by its name, once)."""
    app.extensions.setdefault(_KINDS_KEY, {})[kind.name] = kind


def kinds() -> dict[str, Kind]:
    """The kinds of this app, by name, in registration order."""
    return current_app.extensions.get(_KINDS_KEY, {})


def kind_for(name: str) -> Kind | None:
    """The registered kind of this name, or None."""
    return kinds().get(name)


def _locale() -> str:
    """The reader's language code ("en" outside a request)."""
    locale = get_locale() if has_app_context() else None
    return locale.language if locale is not None else "en"


def labels(kind: str, locale: str | None = None) -> dict[str, str]:
    """The administrators' labels of a kind in ``locale`` (the reader's), by key: every
    kind's labels of a language come in one query per request (a page showing
    expertise, organisation types and roles asks once); none in English."""
    locale = locale or _locale()
    if locale not in LOCALES:
        return {}
    cache = g.setdefault(_CACHE_ATTR, {})
    if locale not in cache:
        by_kind: dict[str, dict[str, str]] = {}
        for row_kind, key, text in db.session.execute(
                select(VocabularyLabel.kind, VocabularyLabel.key, VocabularyLabel.label)
                .where(VocabularyLabel.locale == locale)):
            by_kind.setdefault(row_kind, {})[key] = text
        cache[locale] = by_kind
    return cache[locale].get(kind, {})


def label(kind: str, key, english: str | None = None) -> str:
    """A term's name in the reader's language: the administrators' label, else the
    catalogue's (fixed lists), else ``english`` (else the key)."""
    key = str(key)
    found = labels(kind).get(key)
    if found:
        return found
    registered = kind_for(kind)
    if registered is not None and registered.fixed and key in registered.fixed:
        return str(registered.fixed[key])
    return english if english is not None else key


def stored(kind: str) -> dict[tuple[str, str], str]:
    """Every label of a kind, by ``(key, locale)`` (the administration grid)."""
    rows = db.session.execute(select(VocabularyLabel.key, VocabularyLabel.locale,
                                     VocabularyLabel.label).where(VocabularyLabel.kind == kind))
    return {(key, locale): text for key, locale, text in rows}


def defaults(kind: Kind) -> dict[tuple[str, str], str]:
    """What a term shows in each language without a label (the grid's placeholders)."""
    terms = kind.terms()
    out = {}
    for locale in LOCALES:
        with force_locale(locale):
            for key, english in terms:
                out[(key, locale)] = str(kind.fixed[key]) if kind.fixed and key in kind.fixed \
                    else english
    return out


class LabelErrors(ValidationError):
    """Labels refused, each with its reason, by ``(key, locale)``; nothing was saved."""

    def __init__(self, errors: dict[tuple[str, str], str]):
        super().__init__(_("Some labels were refused; nothing was saved."))
        self.errors = errors


def refusal(kind: Kind, text: str) -> str | None:
    """Why a label cannot be saved, or None: plain words only, at most ``max_length``."""
    if len(text) > kind.max_length:
        return _("At most %(n)d characters.", n=kind.max_length)
    if _MARKUP.search(text):
        return _("Plain text only: no markup (< > or &…;) and no control characters.")
    return None


def save(actor, kind: Kind, values: Mapping[tuple[str, str], str]) -> int:
    """Set the labels of a kind's terms from ``{(key, locale): text}`` (an empty text
    removes the label); refused as a whole (``LabelErrors``) if any label is bad.
    Audited; returns how many labels changed."""
    values = {(str(k), loc): " ".join((text or "").split()) for (k, loc), text in values.items()
              if loc in LOCALES}
    known = {key for key, _english in kind.terms()}
    errors = {cell: reason for cell, text in values.items()
              if (reason := refusal(kind, text)) is not None}
    if errors:
        raise LabelErrors(errors)
    before = stored(kind.name)
    changed = {cell: text for cell, text in values.items()
               if cell[0] in known and before.get(cell, "") != text}
    for (key, locale), text in changed.items():
        _write(kind.name, key, locale, text)
    if changed:
        audit.record(actor, "vocabulary.labels", None, kind=kind.name,
                     labels={f"{key}:{locale}": text for (key, locale), text in changed.items()})
    db.session.commit()
    forget()
    return len(changed)


def _write(kind: str, key: str, locale: str, text: str) -> None:
    """Put, replace or (empty ``text``) remove one label; no commit."""
    condition = (VocabularyLabel.kind == kind, VocabularyLabel.key == key,
                 VocabularyLabel.locale == locale)
    row = db.session.scalar(select(VocabularyLabel).where(*condition))
    if not text:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(VocabularyLabel(kind=kind, key=key, locale=locale, label=text))
    else:
        row.label = text


def seed(kind: str, labels_by_key: Mapping[str, Mapping[str, str]]) -> int:
    """Give terms the labels they do not have yet (the demo); no audit, no commit."""
    have = stored(kind)
    added = 0
    for key, by_locale in labels_by_key.items():
        for locale, text in by_locale.items():
            if locale in LOCALES and (str(key), locale) not in have:
                db.session.add(VocabularyLabel(kind=kind, key=str(key), locale=locale,
                                               label=text))
                added += 1
    db.session.flush()
    forget()
    return added


def forget_term(kind: str, key) -> None:
    """Remove a deleted term's labels (its area calls this); no commit."""
    db.session.execute(delete(VocabularyLabel).where(VocabularyLabel.kind == kind,
                                                     VocabularyLabel.key == str(key)))
    forget()


def forget() -> None:
    """Drop this request's labels and this process's synonym table (after a change)."""
    if has_app_context():
        g.pop(_CACHE_ATTR, None)
        search_synonyms.forget()


def synonym_groups() -> list[list[str]]:
    """Each term of a searchable kind with its labels in every language, as a group of
    terms a search treats as one (terms without a label are left out)."""
    groups = []
    for kind in kinds().values():
        if not kind.searchable:
            continue
        by_key: dict[str, list[str]] = {}
        for (key, _locale), text in stored(kind.name).items():
            by_key.setdefault(key, []).append(text)
        if not by_key:
            continue
        groups += [[english, *by_key[key]] for key, english in kind.terms() if key in by_key]
    return groups


def register(app) -> None:
    """The template helper ``vocab(kind, key, english)``; the labels of searchable kinds
    as search synonyms."""
    app.add_template_global(label, "vocab")
    search_synonyms.register_source(app, synonym_groups)


class Labels(Mapping):
    """A fixed list's labels in the reader's language, as a mapping ``key -> label``
    (what templates index: ``organisation_types[profile.organisation_type]``)."""

    def __init__(self, kind: str, names: Mapping):
        self.kind, self.names = kind, names

    def __getitem__(self, key) -> str:
        return label(self.kind, key, str(self.names[key]))

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)
