"""Searching one kind: visibility inside the query, facets, sorting, pages, snippets.

Who may see what is decided twice. Inside Whoosh, the query is filtered by the
searcher's acl terms, so totals and facet counts only ever count documents
they may see; objects with index changes still pending in the outbox are
checked against the database and masked out when hidden. Then the hits of the
page are re-checked with the adapter's own predicate before any snippet is
made from the database text.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from whoosh import query, sorting

from ..extensions import db
from . import index, parsing, spelling
from .adapters import Adapter, get_adapter, registered
from .facets import CachedFieldFacet
from .highlight import highlights, plain_snippet
from .models import SearchOutbox
from .results import Hit, Results
from .schema import sort_field

MAX_PER_PAGE = 100
MAX_PENDING_CHECKED = 5000


@dataclass
class Context:
    """One search: who searches, in which index, within which scope."""

    adapter: Adapter
    user: object
    searcher: object
    scope: query.Query
    hidden: set[int] = field(default_factory=set)

    def within(self, q: query.Query) -> query.Query:
        """``q`` restricted to the scope, inside the query: counts and facets see no more.

        ``Require`` keeps the scores of ``q``; listing everything is the scope itself.
        """
        if isinstance(q, query.Every):
            return query.ConstantScoreQuery(self.scope)
        return query.Require(q, self.scope)

    def mask(self) -> query.Query | None:
        """Documents to leave out although the index says they are visible."""
        if not self.hidden:
            return None
        return query.Or([query.Term("id", str(i)) for i in sorted(self.hidden)])

    def visible(self, ids: list[int]) -> set[int]:
        """Those of ``ids`` the searcher may open, by the area's own predicate."""
        return set(self.adapter.is_visible(self.user, ids)) & set(ids) if ids else set()


def search(kind: str, user, q: str | None = "", *, page: int = 1, per_page: int = 20,
           filters: Mapping[str, str | Iterable[str]] | None = None, sort: str | None = None,
           reverse: bool = False) -> Results:
    """Search the documents of ``kind`` that ``user`` may see.

    ``q`` is what the member typed (empty lists everything visible);
    ``filters`` narrows to keyword values ({"country": ["FR", "SN"]}: any of the
    values, every field); ``sort`` names a sortable field (None: relevance).
    Never raises on bad input: problems become ``Results.messages``.
    """
    adapter = get_adapter(kind)
    results = Results(kind=kind, query=(q or "").strip(), page=max(1, int(page)),
                      per_page=min(max(1, int(per_page)), MAX_PER_PAGE))
    allowed = set(adapter.visibility_terms(user) or ())
    parsed = parsing.parse(adapter, q)
    results.messages.extend(parsed.messages)
    if not allowed or parsed.query is None:
        return results
    sortedby = _sorting(adapter, sort, reverse, results)
    scope = _scope(adapter, allowed, filters)
    for attempt in range(2):
        try:
            ctx = Context(adapter, user, index.searcher(adapter), scope)
            _execute(ctx, parsed, results, sortedby)
            break
        except Exception:
            if attempt:
                raise
            current_app.logger.warning("search in %r failed; reopening the index", kind,
                                       exc_info=True)
            index.forget_searcher(adapter)
    return results


def _execute(ctx: Context, parsed: parsing.Parsed, results: Results, sortedby) -> None:
    """Run the search, then look for a visible spelling correction."""
    ctx.hidden = _hidden_pending(ctx)
    _run(ctx, parsed.query, results, sortedby)
    if results.query:
        results.suggestion = spelling.suggest(ctx, parsed)


def search_all(user, q: str | None, per_kind: int = 5) -> dict[str, Results]:
    """The first hits of every registered kind, for a unified search page."""
    return {kind: search(kind, user, q, per_page=per_kind) for kind in registered()}


def _scope(adapter: Adapter, allowed: set[str],
           filters: Mapping[str, str | Iterable[str]] | None) -> query.Query:
    """The acl terms of the searcher and the chosen keyword values, as one filter."""
    parts: list[query.Query] = [query.Or([query.Term("acl", t) for t in sorted(allowed)])]
    for name, values in (filters or {}).items():
        if name not in adapter.keyword_fields:
            continue
        values = [values] if isinstance(values, str) else [v for v in values if v]
        if values:
            parts.append(query.Or([query.Term(name, str(v)) for v in values]))
    return query.And(parts)


def _hidden_pending(ctx: Context) -> set[int]:
    """Objects with pending index changes that the searcher may no longer open."""
    pending = list(db.session.scalars(
        select(SearchOutbox.object_id).where(SearchOutbox.kind == ctx.adapter.kind)
        .distinct().limit(MAX_PENDING_CHECKED)))
    return set(pending) - ctx.visible(pending)


def _sorting(adapter: Adapter, sort: str | None, reverse: bool, results: Results):
    """The sort facet for ``sort``, or None for relevance."""
    if not sort or sort == "relevance":
        return None
    if sort not in adapter.sortable:
        results.messages.append(_("Results cannot be sorted that way; they are sorted by "
                                  "relevance."))
        return None
    results.sort = sort
    return sorting.FieldFacet(sort_field(sort), reverse=bool(reverse))


def _run(ctx: Context, q: query.Query, results: Results, sortedby) -> None:
    """Fetch the page; if the database hides some of its hits, mask them and go again."""
    groupedby = {name: CachedFieldFacet(name, allow_overlap=True, maptype=sorting.Count)
                 for name in ctx.adapter.facets} or None
    for attempt in range(2):
        page = ctx.searcher.search_page(ctx.within(q), results.page, pagelen=results.per_page,
                                        mask=ctx.mask(), groupedby=groupedby,
                                        sortedby=sortedby)
        ids = [int(hit["id"]) for hit in page]
        visible = ctx.visible(ids)
        if attempt or visible == set(ids):
            break
        current_app.logger.warning("search index %r shows %s to a user the database hides "
                                   "them from; run `search reindex`", ctx.adapter.kind,
                                   sorted(set(ids) - visible))
        ctx.hidden |= set(ids) - visible
    results.page = max(1, page.pagenum)
    results.total = max(0, page.total - (len(ids) - len(visible)))
    results.facets = _facet_counts(ctx.adapter, page.results)
    results.hits = _hits(ctx, page, visible, _highlight_terms(ctx, q))


def _facet_counts(adapter: Adapter, found) -> dict[str, list[tuple[str, int]]]:
    """Each facet's values with their counts, most frequent first."""
    facets = {}
    for name in adapter.facets:
        counts = found.groups(name)
        facets[name] = sorted(((str(v), n) for v, n in counts.items() if v not in (None, "")),
                              key=lambda item: (-item[1], item[0]))
    return facets


def _hits(ctx: Context, page, visible: set[int], terms: set[tuple[str, str]]) -> list[Hit]:
    """The visible hits of the page, with snippets made from the database text."""
    texts = ctx.adapter.source_texts(sorted(visible)) if visible else {}
    hits = []
    for hit in page:
        object_id = int(hit["id"])
        if object_id not in visible:
            continue
        doc_texts = texts.get(object_id, {})
        marks = highlights(doc_texts, terms, hit.get("lang") or None)
        snippet = next(iter(marks.values()), None) or plain_snippet(doc_texts)
        hits.append(Hit(object_id, ctx.adapter.kind, hit.score, marks, snippet))
    return hits


def _highlight_terms(ctx: Context, q: query.Query) -> set[tuple[str, str]]:
    """The index terms the query looks for (prefixes expanded), as (field, text)."""
    reader = ctx.searcher.reader()
    terms = set()
    for leaf in parsing.positive_leaves(q):
        for name, text in leaf.existing_terms(reader, expand=True):
            terms.add((name, text.decode("utf-8") if isinstance(text, bytes) else str(text)))
    return terms
