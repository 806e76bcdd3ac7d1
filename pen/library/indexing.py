"""Documents in the search engine: the "library_document" adapter of ``pen.search``.

A search document is one language edition: its title, description, authors,
topic names and the extracted text of its current version, analysed in the
edition's language (its stemmer; Chinese as bigrams). Keyword fields carry the
facets (type, language, year, topic, group), the country and the work (its
editions share it, so a reader's own language edition ranks first:
``pen/search/editions.py``). Who may find it is the registered "library_document"
visibility rule in its index form: the acl is ``rule.acl(document)``, a search keeps
what meets ``rule.terms(user)``, and the hits are checked again with the rule's SQL
clause.

Snippets come from the database text. A 20-page report holds tens of thousands
of characters and highlighting all of them for every hit of a page would be
slow, so ``source_texts`` hands the engine a window of the text around the
first place the query's words occur (see ``snippets``), and remembers on which
printed page that window starts.
"""

import json
from collections.abc import Collection, Iterable

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from .. import search, visibility
from ..extensions import db
from . import snippets
from .models import ACCESS_GROUP, Document, Version, Work
from .service import KIND
from .vocabulary import DOC_TYPES

BATCH = 200


class DocumentAdapter(search.Adapter):
    """Library documents by title, description, authors, topics and full text."""

    kind = KIND
    label = _l("Library")
    search_endpoint = "library.index"
    text_fields = {"title": 4.0, "authors": 2.0, "topics": 1.5, "description": 1.5,
                   "body": 1.0}
    keyword_fields = ("doc_type", "language", "year", "topic", "group", "country", "work")
    edition_field = "work"  # the reader's language edition of a work ranks first
    facets = ("doc_type", "language", "year", "topic", "group")
    sortable = {"date": "date", "published": "number"}

    @property
    def acl_scheme(self) -> str:
        """The document rule's shape: the index is rebuilt when the rule changes."""
        return visibility.rule_signature(KIND)

    def documents(self, ids: Collection[int] | None = None) -> Iterable[search.Document]:
        """Editions with their work and current version's text, read in batches."""
        for document, version in self._rows(ids):
            yield to_document(document, version.text if version else "")

    def _rows(self, ids: Collection[int] | None, with_text: bool = True):
        """(edition, current version) pairs, the text loaded only when asked."""
        query = (select(Document, Version)
                 .outerjoin(Version, Version.id == Document.current_version_id)
                 .options(selectinload(Document.work).selectinload(Work.topics))
                 .order_by(Document.id).execution_options(yield_per=BATCH))
        if with_text:
            query = query.options(undefer(Version.text), undefer(Version.pages_json))
        if ids is not None:
            query = query.where(Document.id.in_(list(ids)))
        return db.session.execute(query)

    def ids(self) -> Iterable[int]:
        """Every edition is indexed."""
        return db.session.scalars(select(Document.id))

    def visibility_terms(self, user) -> set[str]:
        """The user's terms under the registered document rule."""
        return visibility.rule_for(KIND).terms(user)

    def is_visible(self, user, ids: Collection[int]) -> set[int]:
        """The database's answer, by the registered document rule's clause."""
        return visibility.rule_for(KIND).visible_ids(user, ids)

    def source_texts(self, ids: Collection[int]) -> dict[int, dict[str, str]]:
        """The text fields of each hit, the body cut to a window around the query's words."""
        rows = db.session.execute(
            select(Document.id, Document.title, Document.description, Version.text,
                   Version.pages_json)
            .outerjoin(Version, Version.id == Document.current_version_id)
            .where(Document.id.in_(list(ids))))
        texts = {}
        for document_id, title, description, text, pages_json in rows:
            pages = [tuple(p) for p in json.loads(pages_json)] if pages_json else []
            body = snippets.window(document_id, text or "", pages)
            # The body first: its snippet is the one that can say on which page the hit is.
            texts[document_id] = {name: value for name, value in (
                ("body", body), ("description", description), ("title", title)) if value}
        return texts

    def present(self, hits) -> list[dict]:
        """Title, link and summary of each hit for the unified search page."""
        found = documents_for(hits)
        return [{"title": d.title, "url": url_for("library.document", document_id=d.id),
                 "summary": " · ".join(str(p) for p in (
                     DOC_TYPES.get(d.work.doc_type, ""), d.language.upper(), d.work.year) if p),
                 "snippet": hit.snippet} for hit in hits if (d := found.get(hit.id))]


def documents_for(hits) -> dict[int, Document]:
    """The editions of a page of hits, by id (works and topics loaded)."""
    ids = [hit.id for hit in hits]
    if not ids:
        return {}
    query = select(Document).where(Document.id.in_(ids)).options(
        selectinload(Document.work).selectinload(Work.topics))
    return {d.id: d for d in db.session.scalars(query)}


def acl(document: Document) -> set[str]:
    """Who may find an edition: the registered rule's index form."""
    return visibility.rule_for(KIND).acl(document)


def to_document(document: Document, text: str) -> search.Document:
    """One edition as the index sees it."""
    work = document.work
    return search.Document(id=document.id, acl=acl(document), lang=document.language, values={
        "title": document.title,
        "authors": work.authors,
        "topics": [t.name for t in work.topics],
        "description": document.description,
        "body": text,
        "doc_type": work.doc_type,
        "language": document.language,
        "year": str(work.year) if work.year else "",
        "topic": [str(t.id) for t in work.topics],
        "group": str(work.group_id) if work.access == ACCESS_GROUP and work.group_id else "",
        "country": work.country or "",
        "work": str(document.work_id),
        "date": document.updated_at,
        "published": work.year,
    })
