"""Adapters: how an area's objects become index documents, and who may see them.

The engine knows fields and documents, never areas. An area subclasses
``Adapter``, declares its fields and registers an instance with
``pen.search.register_adapter(app, adapter)``::

    class MemberAdapter(Adapter):
        kind = "member"
        text_fields = {"name": 4.0, "organisation": 2.0, "bio": 1.0}
        keyword_fields = ("country", "region", "expertise")
        facets = ("country", "region", "expertise")
        sortable = {"name": "text", "joined": "date"}

        def documents(self, ids=None): ...          # from the database
        def visibility_terms(self, user): ...       # e.g. {"all-members", "group:12"}
        def is_visible(self, user, ids): ...        # the area's visibility predicate

Each document carries ``acl``: the terms of who may see it ("all-members",
"group:12", "admin"…). A search keeps only documents sharing a term with
``visibility_terms(user)``, inside the Whoosh query, and re-checks the hits with
``is_visible`` against the database.
"""

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask import Flask, current_app

_REGISTRY_KEY = "pen.search.adapters"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SORT_TYPES = ("text", "number", "date")


@dataclass(frozen=True)
class Document:
    """One object as the index sees it.

    ``values`` maps field names to values: a string (or a list of strings) for a
    text field, a string or a list of strings for a keyword field, and a
    string, number or datetime for a sortable field. ``lang`` (an ISO 639-1
    code such as "fr") picks the stemmer for the text; None means the
    configured default language.
    """

    id: int
    acl: Collection[str]
    values: Mapping[str, Any] = field(default_factory=dict)
    lang: str | None = None


class Adapter:
    """The contract between an area and the engine; subclass it per kind of object."""

    kind: ClassVar[str] = ""
    #: Full-text fields and their boosts: {"name": 4.0, "bio": 1.0}.
    text_fields: ClassVar[Mapping[str, float]] = {}
    #: Exact-value fields (codes without commas) usable as filters: ("country",).
    keyword_fields: ClassVar[tuple[str, ...]] = ()
    #: The keyword fields whose values are counted in results.
    facets: ClassVar[tuple[str, ...]] = ()
    #: Fields results can be sorted by, and their type: {"name": "text"}.
    sortable: ClassVar[Mapping[str, str]] = {}
    #: A keyword field holding the key of the work a document is one language edition
    #: of (documents sharing it are editions of one work): a searcher's own language
    #: edition then ranks where the work's best matching edition would (``editions.py``).
    edition_field: ClassVar[str] = ""
    #: Names the meaning of the acl terms (e.g. a visibility rule's ``signature()``).
    #: It is part of the index's schema, so when it changes every server rebuilds
    #: its index of this kind instead of filtering old documents with new terms.
    acl_scheme: str = ""

    def documents(self, ids: Collection[int] | None = None) -> Iterable[Document]:
        """Yield the documents for ``ids`` (all indexable objects when None).

        Read from the database. An id that is not returned (deleted, draft,
        not meant to be searchable) is removed from the index.
        """
        raise NotImplementedError

    def ids(self) -> Iterable[int]:
        """Every id that should be in the index; override with a cheap query."""
        return (doc.id for doc in self.documents())

    def visibility_terms(self, user) -> Collection[str]:
        """The acl terms ``user`` holds; documents sharing none are never shown."""
        raise NotImplementedError

    def is_visible(self, user, ids: Collection[int]) -> set[int]:
        """Those of ``ids`` that ``user`` may open, by the area's own predicate."""
        raise NotImplementedError

    def source_texts(self, ids: Collection[int]) -> dict[int, dict[str, str]]:
        """The database text of each text field, for snippets: {id: {field: text}}."""
        return {doc.id: _text_values(self, doc) for doc in self.snippet_documents(ids)}

    def snippet_documents(self, ids: Collection[int]) -> Iterable[Document]:
        """The documents ``source_texts`` reads; an adapter may leave out what only its
        keyword fields need (the text fields are all that snippets use)."""
        return self.documents(ids)


def _text_values(adapter: Adapter, doc: Document) -> dict[str, str]:
    """The text fields of a document, lists joined by newlines."""
    texts = {}
    for name in adapter.text_fields:
        value = doc.values.get(name)
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(v) for v in value if v)
        if value:
            texts[name] = str(value)
    return texts


def validate(adapter: Adapter) -> None:
    """Refuse an adapter whose declaration the engine cannot turn into a schema."""
    if not _NAME.match(adapter.kind or ""):
        raise ValueError(f"adapter kind {adapter.kind!r} must be a lowercase identifier")
    names = [*adapter.text_fields, *adapter.keyword_fields]
    for name in [*names, *adapter.sortable]:
        if not _NAME.match(name) or "__" in name or name in {"id", "acl", "lang"}:
            raise ValueError(f"{adapter.kind}: field name {name!r} is not allowed")
    if len(set(names)) != len(names):
        raise ValueError(f"{adapter.kind}: a field is both text and keyword")
    if adapter.edition_field and adapter.edition_field not in adapter.keyword_fields:
        raise ValueError(f"{adapter.kind}: the edition field must be a keyword field")
    if not set(adapter.facets) <= set(adapter.keyword_fields):
        raise ValueError(f"{adapter.kind}: facets must be keyword fields")
    if not set(adapter.sortable.values()) <= set(SORT_TYPES):
        raise ValueError(f"{adapter.kind}: sortable types are {', '.join(SORT_TYPES)}")


def register_adapter(app: Flask, adapter: Adapter) -> None:
    """Make ``adapter.kind`` searchable in ``app``; one adapter per kind."""
    validate(adapter)
    registry = app.extensions.setdefault(_REGISTRY_KEY, {})
    if adapter.kind in registry and registry[adapter.kind] is not adapter:
        raise ValueError(f"a search adapter for {adapter.kind!r} is already registered")
    registry[adapter.kind] = adapter


def registered() -> dict[str, Adapter]:
    """The adapters of the current app, by kind."""
    return dict(current_app.extensions.get(_REGISTRY_KEY, {}))


def get_adapter(kind: str) -> Adapter:
    """The adapter for ``kind``; KeyError when no area registered it."""
    adapter = current_app.extensions.get(_REGISTRY_KEY, {}).get(kind)
    if adapter is None:
        raise KeyError(f"no search adapter registered for {kind!r}")
    return adapter
