"""``python -m bench relevance``: how well search finds what the network's experts mean.

The corpus (``bench/relevance_data/corpus.txt``: guidelines, inventories, magazine
issues and forum threads in six languages, with distractors) is indexed through the
real engine — the same analysis, stemming, query parsing and query-time expansion as
the site, through an adapter shaped like the library's — in a scratch SQLite
database, with the site's seeded synonym list. Each judged query of ``queries.tsv``
is searched as a member would, and nDCG@10, MRR and recall@50 are reported overall,
per language and per query type, in ``bench/results/relevance-LABEL.json`` and ``.md``.
Not timed: latency is ``python -m bench run``'s business.
"""

import json
import tempfile
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

from bench import machine
from bench import relevance_metrics as metrics
from bench.common import bench_app
from pen import search
from pen.extensions import db
from pen.search import index

KIND = "bench_relevance"
VIEWER = object()  # the searcher: every document of the corpus is visible to them
PREFER_LANGUAGE = True  # the member's interface is in the query's language, as on the site


class CorpusAdapter(search.Adapter):
    """The corpus as the library indexes its editions: title, authors, full text."""

    kind = KIND
    text_fields = {"title": 4.0, "authors": 2.0, "body": 1.0}
    keyword_fields = ("doc_kind", "work")
    edition_field = "work"  # editions of one work are linked, as the library links them

    def __init__(self, docs: list[metrics.CorpusDocument]):
        self.docs = {i: doc for i, doc in enumerate(docs, start=1)}

    def documents(self, ids: Collection[int] | None = None):
        """Each document of the corpus, in its language."""
        for i in sorted(self.docs if ids is None else set(ids) & set(self.docs)):
            doc = self.docs[i]
            yield search.Document(i, ["all"], {"title": doc.title, "authors": doc.authors,
                                               "body": doc.body, "doc_kind": doc.kind,
                                               "work": doc.work},
                                  doc.lang)

    def visibility_terms(self, user):
        """Everything is visible."""
        return {"all"}

    def is_visible(self, user, ids):
        """Everything is visible."""
        return set(ids) & set(self.docs)


def run(label: str = "current", results: Path | None = None, languages: Collection[str] = (),
        limit: int | None = None, workdir: Path | None = None) -> dict:
    """Index the corpus, search every judged query (of ``languages``; the first ``limit``),
    and return (and, when ``results`` is given, write) the figures."""
    docs = metrics.read_corpus()
    queries = [q for q in metrics.read_queries() if not languages or q.lang in languages]
    queries = queries[:limit] if limit else queries
    app, _ = bench_app(None, workdir or Path(tempfile.mkdtemp(prefix="pen-relevance-")))
    adapter = CorpusAdapter(docs)
    search.register_adapter(app, adapter)
    with app.app_context():
        db.create_all()
        _prepare(app)
        index.rebuild(adapter)
        rows = [_judge(adapter, q) for q in queries]
    result = {"label": label, "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
              "commit": machine.commit(), "documents": len(docs),
              "figures": metrics.averages(rows), "queries": rows}
    if results is not None:
        results.mkdir(parents=True, exist_ok=True)
        (results / f"relevance-{label}.json").write_text(
            json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        (results / f"relevance-{label}.md").write_text(metrics.markdown(result),
                                                       encoding="utf-8")
    return result


def _prepare(app) -> None:
    """What a new site has before the first search: the seeded synonym list, if any."""
    seed = getattr(search, "seed_synonyms", None)
    if seed is not None:
        seed()
        db.session.commit()


def _judge(adapter: CorpusAdapter, judged: metrics.Judged) -> dict:
    """Search one query as a member would; its figures and its first results."""
    found = search.search(KIND, VIEWER, judged.text, per_page=metrics.CUTOFF_RECALL,
                          prefer_lang=judged.lang if PREFER_LANGUAGE else None)
    ranking = [adapter.docs[hit.id].key for hit in found.hits]
    return {"lang": judged.lang, "type": judged.type, "query": judged.text,
            **metrics.scores(ranking, judged), "top": ranking[:5]}


