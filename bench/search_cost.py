"""Query-time cost of the relaxed fallback and of the grouping of a work's editions.

    .venv/bin/python -m bench.search_cost --documents 20000 --repeat 40

Generates a library as ``bench.library`` does (SQLite; one work per document), makes
each even document whose language differs from the one before it a second edition of
that work (about 30 % of the documents), rebuilds the index,
then searches a few queries as a member, each time once with both features off and
once with them on (interleaved, so a busy machine weighs on both alike), and prints
the median and p95 of CPU and wall time for each, in milliseconds.
"""

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, update

from bench import library
from bench.common import bench_app, percentile
from pen import search
from pen.auth import service as accounts
from pen.extensions import db
from pen.library.indexing import DocumentAdapter
from pen.library.models import Document
from pen.library.service import KIND
from pen.search import editions, index, relaxed

QUERIES = [("transformers", "en"), ("PCB inventory", "en"), ("how to store PCB capacitors", "en"),
           ("масло хранение", "ru"), ("inventaire huile", "fr"), ("transformers", "ru"),
           ("stockage des condensateurs au pyralène", "fr")]
_PREFER, _FEW = editions.prefer, relaxed.FEW_HITS


def link_editions() -> int:
    """Make each even document an edition of the work before it, when their languages differ."""
    language = dict(db.session.execute(select(Document.id, Document.language)).all())
    pairs = [(i, i - 1) for i in language
             if i % 2 == 0 and i - 1 in language and language[i] != language[i - 1]]
    for document_id, work_id in pairs:
        db.session.execute(update(Document).where(Document.id == document_id)
                           .values(work_id=work_id))
    db.session.commit()
    return len(pairs)


def switch(on: bool) -> None:
    """Both features on, or both off."""
    editions.prefer = _PREFER if on else (lambda ctx, matched, scores, count: scores)
    relaxed.FEW_HITS = _FEW if on else 0


def measure(user, q: str, lang: str, repeat: int) -> str:
    """One line: the query's hits and its CPU and wall percentiles, off -> on."""
    cpu, wall, hits = {False: [], True: []}, {False: [], True: []}, {}
    for _ in range(repeat):
        for on in (False, True):
            switch(on)
            started, cpu_started = time.perf_counter(), time.process_time()
            hits[on] = search.search(KIND, user, q, per_page=20, prefer_lang=lang).total
            cpu[on].append((time.process_time() - cpu_started) * 1000)
            wall[on].append((time.perf_counter() - started) * 1000)
    switch(True)

    def pair(samples, p):
        return f"{percentile(samples[False], p):6.1f} -> {percentile(samples[True], p):6.1f}"

    return (f"{q!r:42} {lang}  hits {hits[False]:>6} -> {hits[True]:>6}  CPU p50 "
            f"{pair(cpu, 0.5)}  p95 {pair(cpu, 0.95)}  wall p50 {pair(wall, 0.5)}  "
            f"p95 {pair(wall, 0.95)} ms")


def run(documents: int, repeat: int) -> None:
    """Generate, link, index, measure."""
    app, _ = bench_app(None, Path(tempfile.mkdtemp(prefix="pen-search-cost-")))
    with app.app_context():
        db.create_all()
        user = accounts.create_user("bench@bench.example", "Bench Member", "bench-password")
        db.session.commit()
        library.generate(documents, 600)
        print(f"{documents} documents, {link_editions()} linked as second editions")
        index.rebuild(DocumentAdapter())
        for q, lang in QUERIES:  # warm the caches both ways
            for on in (True, False):
                switch(on)
                search.search(KIND, user, q, per_page=20, prefer_lang=lang)
        for q, lang in QUERIES:
            print(measure(user, q, lang, repeat))


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    run(args.documents, args.repeat)


if __name__ == "__main__":
    main()
