"""Searching one kind: visibility inside the query, facets, sorting, pages, snippets.

Who may see what is decided twice. Inside the index, the matches of the query
are intersected with the documents sharing an acl term with the searcher (and
with the chosen filters) before anything is counted, so totals and facet
counts only ever count documents they may see; objects whose change in the
log this server has not applied yet are checked against the database and left
out when hidden. Then the hits of the page are re-checked with the adapter's own
predicate before any snippet is made from the database text.
"""

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from whoosh import query

from . import (
    changelog,
    docsets,
    editions,
    index,
    matching,
    parsing,
    relaxed,
    replicas,
    spelling,
    stemming,
    thesaurus,
)
from .adapters import Adapter, get_adapter, registered
from .highlight import highlights, plain_snippet
from .results import Hit, Results
from .schema import sort_field

MAX_PER_PAGE = 100
MAX_PENDING_CHECKED = 5000
FEW_HITS = 3  # fewer exact hits than this, and a misspelt word: its correction's hits too
CORRECTED_BOOST = 0.3  # below every exact hit in any case; ordered among themselves
PREFERRED_BOOST = 1.5  # documents in the searcher's language, ranked by relevance


@dataclass
class Context:
    """One search: who searches, in which index, within which documents."""

    adapter: Adapter
    user: object
    searcher: object
    allowed: set[str]
    filters: dict[str, list[str]]
    hidden: set[int] = field(default_factory=set)
    prefer_lang: str | None = None
    relax: query.Query | None = None  # the parsed query, for the relaxed fallback

    @functools.cached_property
    def arrays(self) -> matching.IndexArrays:
        """The searcher's document arrays."""
        return matching.arrays(self.searcher)

    @property
    def scope(self) -> np.ndarray:
        """The mask of live documents the searcher may get: acl terms, filters, not hidden."""
        mask = docsets.scope_mask(self.searcher, self.allowed, self.filters)
        docs = self.hidden_docs()
        if docs:
            mask = mask.copy()
            mask[np.array(sorted(docs), dtype=np.int64)] = False
        return mask

    def evaluate(self, q: query.Query) -> tuple[np.ndarray, np.ndarray]:
        """(mask, scores) of the documents ``q`` matches within the scope."""
        scope = self.scope
        if isinstance(q, query.Every):
            return scope, np.zeros(len(scope), dtype=np.float32)
        mask, scores = self.arrays.evaluate(q)
        return mask & scope, scores

    def prefer(self, scores: np.ndarray) -> np.ndarray:
        """Relevance scores with the documents in the searcher's language raised."""
        if not self.prefer_lang:
            return scores
        within = self.arrays.language_mask(self.prefer_lang)
        return np.where(within, scores * np.float32(PREFERRED_BOOST), scores)

    def expand(self, q: query.Query) -> query.Query:
        """``q`` with synonyms and stemming added (``thesaurus.py``, ``stemming.py``)."""
        return stemming.expand(thesaurus.expand(q, self.adapter), self.searcher.reader(),
                               self.adapter)

    def matched(self, q: query.Query) -> np.ndarray:
        """The mask of documents a parsed query (stemming added here) matches in the scope."""
        return self.evaluate(self.expand(q))[0]

    def hidden_docs(self) -> set[int]:
        """The document numbers of the ids in ``hidden``."""
        found = (self.searcher.document_number(id=str(i)) for i in self.hidden)
        return {docnum for docnum in found if docnum is not None}

    def ids(self, docnums: Iterable[int]) -> list[int]:
        """The object ids of documents."""
        return [int(self.arrays.value("id", d)) for d in docnums]

    def visible(self, ids: list[int]) -> set[int]:
        """Those of ``ids`` the searcher may open, by the area's own predicate."""
        return set(self.adapter.is_visible(self.user, ids)) & set(ids) if ids else set()


def search(kind: str, user, q: str | None = "", *, page: int = 1, per_page: int = 20,
           filters: Mapping[str, str | Iterable[str]] | None = None, sort: str | None = None,
           reverse: bool = False, prefer_lang: str | None = None) -> Results:
    """Search the documents of ``kind`` that ``user`` may see.

    ``q`` is what the member typed (empty lists everything visible);
    ``filters`` narrows to keyword values ({"country": ["FR", "SN"]}: any of the
    values, every field); ``sort`` names a sortable field (None: relevance);
    ``prefer_lang`` (the searcher's language, "ru") ranks documents written in it higher.
    Never raises on bad input: problems become ``Results.messages``; while this
    server's index is being rebuilt ``Results.unavailable`` is set and says so.
    """
    adapter = get_adapter(kind)
    results = Results(kind=kind, query=(q or "").strip(), page=max(1, int(page)),
                      per_page=min(max(1, int(per_page)), MAX_PER_PAGE))
    allowed = set(adapter.visibility_terms(user) or ())
    parsed = parsing.parse(adapter, q)
    results.messages.extend(parsed.messages)
    if not allowed or parsed.query is None:
        return results
    _choose_sort(adapter, sort, reverse, results)
    chosen = docsets.filter_values(adapter, filters)
    for attempt in range(2):
        try:
            ctx = Context(adapter, user, index.searcher(adapter), allowed, chosen,
                          prefer_lang=(prefer_lang or "").split("_")[0].lower() or None)
            _execute(ctx, parsed, results, reverse)
            break
        except index.IndexUnavailable:
            results.unavailable = True
            results.messages.append(_("Search is being rebuilt on this server; results will "
                                      "be back in a few minutes."))
            break
        except Exception:
            if attempt:
                raise
            current_app.logger.warning("search in %r failed; reopening the index", kind,
                                       exc_info=True)
            index.forget_searcher(adapter)
    return results


def search_all(user, q: str | None, per_kind: int = 5, kinds: Iterable[str] | None = None,
               prefer_lang: str | None = None) -> dict[str, Results]:
    """The first hits of every registered kind (or of ``kinds``), for a unified search page."""
    chosen = sorted(registered()) if kinds is None else list(kinds)
    return {kind: search(kind, user, q, per_page=per_kind, prefer_lang=prefer_lang)
            for kind in chosen}


def _execute(ctx: Context, parsed: parsing.Parsed, results: Results, reverse: bool) -> None:
    """Run the search, then look for a visible spelling correction."""
    ctx.hidden = _hidden_pending(ctx)
    ctx.relax = parsed.query
    expanded = ctx.expand(parsed.query)
    _run(ctx, expanded, results, reverse)
    if results.query:
        results.suggestion = spelling.suggest(ctx, dataclasses.replace(parsed, query=expanded))
    if results.suggestion and results.total < FEW_HITS and not results.sort:
        _run(ctx, expanded, results, reverse, _corrected(ctx, results.suggestion))


def _corrected(ctx: Context, text: str) -> query.Query | None:
    """The expanded query of a spelling correction (typo tolerance), or None."""
    parsed = parsing.parse(ctx.adapter, text)
    return ctx.expand(parsed.query) if parsed.query is not None else None


def _hidden_pending(ctx: Context) -> set[int]:
    """Objects with changes not yet applied here that the searcher may no longer open."""
    pending = changelog.pending_here(ctx.adapter.kind, replicas.replica_id(),
                                     MAX_PENDING_CHECKED)
    return set(pending) - ctx.visible(pending)


def _choose_sort(adapter: Adapter, sort: str | None, reverse: bool, results: Results) -> None:
    """Accept a sortable field as ``results.sort``; anything else means relevance."""
    if not sort or sort == "relevance":
        return
    if sort not in adapter.sortable:
        results.messages.append(_("Results cannot be sorted that way; they are sorted by "
                                  "relevance."))
        return
    results.sort = sort


def _run(ctx: Context, q: query.Query, results: Results, reverse: bool,
         corrected: query.Query | None = None) -> None:
    """Fetch the page; if the database hides some of its hits, leave them out and go again.

    ``corrected`` (a spelling correction's query) adds its hits after every hit of ``q``.
    """
    for attempt in range(2):
        matched, scored = _collect(ctx, q, results, reverse, corrected)
        ids = ctx.ids(docnum for docnum, _ in scored)
        visible = ctx.visible(ids)
        if attempt or visible == set(ids):
            break
        current_app.logger.warning("search index %r shows %s to a user the database hides "
                                   "them from; run `search reindex`", ctx.adapter.kind,
                                   sorted(set(ids) - visible))
        ctx.hidden |= set(ids) - visible
    results.total = int(matched.sum()) - len(set(ids) - visible)
    results.facets = {name: docsets.facet_counts(ctx.searcher, name, matched)
                      for name in ctx.adapter.facets}
    hits = [(object_id, score, docnum)
            for (docnum, score), object_id in zip(scored, ids, strict=True)]
    marked = q if corrected is None else query.Or([q, corrected])
    results.hits = _hits(ctx, marked, [hit for hit in hits if hit[0] in visible])


def _collect(ctx: Context, q: query.Query, results: Results, reverse: bool,
             corrected: query.Query | None = None
             ) -> tuple[np.ndarray, list[tuple[int, float | None]]]:
    """(mask of every matched document, (document number, score) of the page in order).

    Also moves ``results.page`` back to the last page when it is beyond it.
    """
    matched, scores = ctx.evaluate(q)
    scores = ctx.prefer(scores)
    if not results.sort:
        scores = editions.prefer(ctx, matched, scores, results.page * results.per_page)
    if corrected is not None:
        extra, extra_scores = ctx.evaluate(corrected)
        matched, scores = _below(matched, scores, extra, ctx.prefer(extra_scores))
    if not results.sort:
        matched, scores = _relaxed(ctx, matched, scores)
    results.total = int(matched.sum())
    results.page = min(results.page, results.pages)
    start, end = (results.page - 1) * results.per_page, results.page * results.per_page
    if results.sort:
        docnums = docsets.first_sorted(ctx.searcher, matched, sort_field(results.sort),
                                       reverse, end)
        return matched, [(int(d), None) for d in docnums[start:]]
    if isinstance(q, query.Every):
        return matched, [(int(d), None) for d in np.flatnonzero(matched)[start:end]]
    docnums = matching.top(matched, scores, end)
    return matched, [(int(d), float(scores[d])) for d in docnums[start:]]


def _relaxed(ctx: Context, matched: np.ndarray, scores: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """With few hits, the documents holding most of the query's significant words added
    after them (``relaxed.py``)."""
    if ctx.relax is None or int(matched.sum()) >= relaxed.FEW_HITS:
        return matched, scores
    found = relaxed.matches(ctx, ctx.relax)
    return (matched, scores) if found is None else _below(matched, scores, *found)


def _below(matched: np.ndarray, scores: np.ndarray, extra: np.ndarray,
           extra_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The matches of both, each exact hit scored above every added one."""
    lowered = extra_scores * np.float32(CORRECTED_BOOST)
    ceiling = float(lowered[extra].max()) if extra.any() else 0.0
    combined = np.where(matched, scores + np.float32(ceiling + 1.0), lowered)
    return matched | extra, combined.astype(np.float32)


def _hits(ctx: Context, q: query.Query, hits: list[tuple[int, float | None, int]]) -> list[Hit]:
    """The visible hits of the page, with snippets made from the database text."""
    texts = ctx.adapter.source_texts([object_id for object_id, _, _ in hits]) if hits else {}
    terms = stemming.highlight_terms(q, ctx.searcher.reader())
    out = []
    for object_id, score, docnum in hits:
        doc_texts = texts.get(object_id, {})
        lang = ctx.arrays.value("lang", docnum) or None
        marks = highlights(doc_texts, terms, lang)
        snippet = next(iter(marks.values()), None) or plain_snippet(doc_texts)
        out.append(Hit(object_id, ctx.adapter.kind, score, marks, snippet))
    return out
