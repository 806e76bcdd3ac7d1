"""Finding documents: the library's search with facets, and "more like this".

Everything goes through ``pen.search`` with the member as the searcher, so a
hit, a facet count or a snippet only ever comes from a document they may open.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import get_locale
from sqlalchemy import select
from whoosh.lang import stopwords_for_language

from .. import search
from ..extensions import db
from ..groups.models import Group
from ..members import countries
from ..members import service as member_service
from ..members.models import ExpertiseArea
from ..vocabulary import label as vocab
from . import snippets
from .indexing import documents_for
from .models import Document, Version
from .service import KIND
from .vocabulary import DOC_TYPES, language_name

# sort key -> (engine sort field, newest first)
SORTS = {"relevance": (None, False), "newest": ("date", True), "year": ("published", True)}
FILTERS = ("doc_type", "language", "year", "topic", "group", "country")
PER_PAGE = 20
LIKE_TERMS = 8
LIKE_SAMPLE = 200_000  # characters of a text read to find its characteristic words
_LIKE_WORD = re.compile(r"[^\W\d_]{4,}|[\u3400-\u9fff]{2}", re.UNICODE)


@dataclass
class Params:
    """The library page's query string, checked."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Params":
        """Read ``request.args``; unknown values are dropped, not errors."""
        filters = {}
        for name in FILTERS:
            values = [v for v in args.getlist(name) if v and len(v) <= 40][:20]
            if values:
                filters[name] = values
        sort = args.get("sort", "")
        if sort not in SORTS:
            sort = "relevance" if args.get("q", "").strip() else "newest"
        return cls(q=args.get("q", "").strip()[:500], filters=filters, sort=sort,
                   page=max(1, args.get("page", 1, type=int) or 1))

    def args(self, **changes) -> dict:
        """The query string of this page with ``changes`` (for links)."""
        out = {"q": self.q or None, "sort": self.sort, **self.filters}
        out.update(changes)
        return {k: v for k, v in out.items() if v}

    def toggled(self, name: str, value: str) -> dict:
        """The query string with a facet value added, or removed if it was chosen."""
        chosen = list(self.filters.get(name, []))
        chosen = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
        return self.args(**{name: chosen, "page": None})


@dataclass
class Found:
    """A page of results: hits, their editions, the page of each snippet, facet labels."""

    results: search.Results
    documents: dict[int, Document]
    pages: dict[int, str]
    labels: dict[str, dict[str, str]]


def find(user, params: Params, per_page: int = PER_PAGE) -> Found:
    """Search the documents ``user`` may open."""
    sort, reverse = SORTS[params.sort]
    with snippets.tracking(params.q) as pages:
        results = search.search(KIND, user, params.q, page=params.page, per_page=per_page,
                                filters=params.filters, sort=sort, reverse=reverse,
                                prefer_lang=str(get_locale() or ""))
    return Found(results, documents_for(results.hits), pages, facet_labels(results.facets))


def facet_labels(facets: dict[str, list[tuple[str, int]]]) -> dict[str, dict[str, str]]:
    """A readable label for each facet value (type names, languages, topics, groups)."""
    labels = {"doc_type": {k: str(v) for k, v in DOC_TYPES.items()},
              "language": {code: language_name(code) for code, _ in facets.get("language", [])},
              "year": {y: y for y, _ in facets.get("year", [])}}
    topic_ids = [int(v) for v, _ in facets.get("topic", []) if v.isdigit()]
    labels["topic"] = {str(i): vocab("expertise", i, name) for i, name in db.session.execute(
        select(ExpertiseArea.id, ExpertiseArea.name).where(ExpertiseArea.id.in_(topic_ids)))}
    group_ids = [int(v) for v, _ in facets.get("group", []) if v.isdigit()]
    labels["group"] = {str(i): name for i, name in db.session.execute(
        select(Group.id, Group.name).where(Group.id.in_(group_ids)))}
    labels["country"] = {c: countries.name(c) for c, _ in facets.get("country", [])}
    return labels


def characteristic_words(text: str, language: str, count: int = LIKE_TERMS) -> list[str]:
    """The words that best characterise a text: frequent, long, not stop words."""
    try:
        stop = stopwords_for_language(language)
    except Exception:
        stop = frozenset()
    counts = Counter(w.lower() for w in _LIKE_WORD.findall(text[:LIKE_SAMPLE]))
    for word in list(counts):
        if word in stop:
            del counts[word]
    return [word for word, _ in counts.most_common(count)]


def more_like_this(user, document: Document, count: int = 5) -> list[Document]:
    """Other documents ``user`` may open that share this one's characteristic words."""
    version = document.current
    text = " ".join([document.title, document.description,
                     (db.session.scalar(select(Version.text).where(Version.id == version.id))
                      if version else "") or ""])
    words = characteristic_words(text, document.language)
    if not words:
        return []
    q = " OR ".join(words)
    results = search.search(KIND, user, q, per_page=count + len(document.work.editions))
    skip = {d.id for d in document.work.editions}
    found = documents_for([h for h in results.hits if h.id not in skip])
    return [found[h.id] for h in results.hits if h.id in found][:count]


@dataclass
class Editions:
    """A document's other language editions, those the reader reads first, and the one to
    offer when the open edition is not in a language they read."""

    others: list
    offered: Document | None


def editions_for_reader(user, document: Document) -> Editions:
    """Order the other editions by the reader's languages (interface, then profile)."""
    reads = member_service.reading_languages(user)
    rank = {code: i for i, code in enumerate(reads)}
    others = sorted(document.siblings(), key=lambda d: (rank.get(d.language, len(rank)),
                                                        d.language))
    offered = None
    if document.language not in rank and others and others[0].language in rank:
        offered = others[0]
    return Editions(others, offered)
