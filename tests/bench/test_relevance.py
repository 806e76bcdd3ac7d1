"""The relevance suite runs end to end on a slice of its judged queries (not timed)."""

from bench import relevance, relevance_metrics


def test_the_suite_indexes_the_corpus_and_scores_a_slice(tmp_path):
    result = relevance.run("test", tmp_path / "results", languages=("ru",), limit=3,
                           workdir=tmp_path / "work")
    assert result["figures"]["all"]["queries"] == 3
    assert set(result["figures"]["languages"]) == {"ru"}
    first = result["queries"][0]
    assert first["query"] == "ПХБ" and first["top"][0].endswith("-ru")
    assert 0 < first["ndcg10"] <= 1 and first["recall50"] == 1
    written = (tmp_path / "results" / "relevance-test.md").read_text(encoding="utf-8")
    assert "| ru | 3 |" in written


def test_the_judged_set_names_only_corpus_documents_and_covers_six_languages():
    keys = {doc.key for doc in relevance_metrics.read_corpus()}
    queries = relevance_metrics.read_queries()
    assert len(queries) >= 150
    assert {q.lang for q in queries} == {"en", "fr", "es", "ru", "zh", "ar"}
    assert all(set(q.grades) <= keys and q.grades for q in queries)


def test_the_figures_follow_their_definitions():
    grades = {"a": 3, "b": 1}
    assert relevance_metrics.ndcg(["a", "b"], grades) == 1
    assert relevance_metrics.ndcg(["x", "a"], grades) < 1
    assert relevance_metrics.reciprocal_rank(["x", "b"], grades) == 0.5
    assert relevance_metrics.recall(["a", "x"], grades) == 0.5


def test_editions_of_one_work_are_linked_by_their_ids():
    docs = {doc.key: doc for doc in relevance_metrics.read_corpus()}
    assert docs["inv-fr"].work == docs["inv-ru"].work == "inv"
    assert docs["f-en-caps"].work == "f-en-caps"  # a thread is a work of its own
