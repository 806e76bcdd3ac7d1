"""The relevance suite's data and figures: reading the corpus and the judged queries,
nDCG@10, MRR and recall@50, and their averages by language and by query type.

``bench/relevance_data/corpus.txt`` holds the documents ("@@ id | lang | kind | title",
an optional "authors:" line, then the text); ``queries.tsv`` the judged queries
(language, type, query, "doc-id:grade …" with grades 1-3). See ``bench/relevance.py``.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "relevance_data"
CUTOFF_NDCG, CUTOFF_RECALL = 10, 50


@dataclass(frozen=True)
class CorpusDocument:
    """One document of the corpus."""

    key: str
    lang: str
    kind: str
    title: str
    authors: str = ""
    body: str = ""

    @property
    def work(self) -> str:
        """The work this document is an edition of: its id without the "-LANG" ending
        ("inv-fr" -> "inv"); a document whose id does not end so is a work of its own."""
        suffix = f"-{self.lang}"
        return self.key[:-len(suffix)] if self.key.endswith(suffix) else self.key


@dataclass(frozen=True)
class Judged:
    """One judged query: its language, type, text and graded relevant documents."""

    lang: str
    type: str
    text: str
    grades: dict[str, int] = field(default_factory=dict)


def read_corpus(path: Path = DATA / "corpus.txt") -> list[CorpusDocument]:
    """The documents of the corpus file, in order."""
    docs, head, lines = [], None, []
    for line in [*path.read_text(encoding="utf-8").splitlines(), "@@"]:
        if line.startswith("#") and head is None:
            continue
        if line.startswith("@@"):
            if head:
                docs.append(_document(head, lines))
            head, lines = line[2:].strip(), []
        else:
            lines.append(line)
    return docs


def _document(head: str, lines: list[str]) -> CorpusDocument:
    """A document from its header and its lines."""
    key, lang, kind, title = (part.strip() for part in head.split("|", 3))
    authors = next((ln[8:].strip() for ln in lines if ln.startswith("authors:")), "")
    body = "\n".join(ln for ln in lines if not ln.startswith("authors:")).strip()
    return CorpusDocument(key, lang, kind, title, authors, body)


def read_queries(path: Path = DATA / "queries.tsv") -> list[Judged]:
    """The judged queries of the file, in order."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, kind, text, judged = line.split("\t")
        grades = {key: int(grade) for key, grade in
                  (item.rsplit(":", 1) for item in judged.split())}
        out.append(Judged(lang, kind, text, grades))
    return out


def ndcg(ranking: list[str], grades: dict[str, int], k: int = CUTOFF_NDCG) -> float:
    """Normalised discounted cumulative gain of the first ``k`` results (gain 2^g - 1)."""
    def dcg(values):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(values))
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(key, 0) for key in ranking[:k]]) / ideal if ideal else 0.0


def reciprocal_rank(ranking: list[str], grades: dict[str, int]) -> float:
    """1 / the rank of the first relevant result (0 when none is found)."""
    return next((1 / (i + 1) for i, key in enumerate(ranking) if grades.get(key)), 0.0)


def recall(ranking: list[str], grades: dict[str, int], k: int = CUTOFF_RECALL) -> float:
    """The share of the relevant documents among the first ``k`` results."""
    found = set(ranking[:k]) & set(grades)
    return len(found) / len(grades) if grades else 0.0


def scores(ranking: list[str], judged: Judged) -> dict[str, float]:
    """The three figures of one query."""
    return {"ndcg10": ndcg(ranking, judged.grades), "mrr": reciprocal_rank(ranking, judged.grades),
            "recall50": recall(ranking, judged.grades)}


def averages(rows: list[dict]) -> dict:
    """Mean figures over every query, by language and by type (with query counts)."""
    def mean(group):
        return {"queries": len(group), **{m: round(sum(r[m] for r in group) / len(group), 3)
                                          for m in ("ndcg10", "mrr", "recall50")}}
    by_lang, by_type = defaultdict(list), defaultdict(list)
    for row in rows:
        by_lang[row["lang"]].append(row)
        by_type[row["type"]].append(row)
    return {"all": mean(rows) if rows else {},
            "languages": {k: mean(v) for k, v in sorted(by_lang.items())},
            "types": {k: mean(v) for k, v in sorted(by_type.items())}}


def markdown(result: dict) -> str:
    """The tables of a run, and its queries that found nothing relevant."""
    figures = result["figures"]
    lines = [f"### Search relevance — {result['label']}, {result['date']}, commit "
             f"{result['commit']}", "",
             f"{result['documents']} documents, {figures['all']['queries']} judged queries.", "",
             "| | queries | nDCG@10 | MRR | recall@50 |", "|---|---:|---:|---:|---:|",
             _row("**all**", figures["all"])]
    lines += [_row(lang, f) for lang, f in figures["languages"].items()]
    lines += [_row(f"*{kind}*", f) for kind, f in figures["types"].items()]
    missed = [r for r in result["queries"] if r["recall50"] == 0]
    lines += ["", f"Queries finding nothing relevant ({len(missed)}): "
              + ", ".join(f"`{r['lang']}: {r['query']}`" for r in missed), ""]
    return "\n".join(lines)


def _row(name: str, f: dict) -> str:
    return f"| {name} | {f['queries']} | {f['ndcg10']:.3f} | {f['mrr']:.3f} | {f['recall50']:.3f} |"
