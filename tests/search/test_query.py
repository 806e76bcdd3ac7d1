"""Queries: facets, filters, sorting, pages, snippets, did-you-mean, malformed input."""

import pytest
from markupsafe import Markup

from pen import search

from .conftest import MEMBER, ids_of


def run(q="", **kwargs):
    return search.search("thing", MEMBER, q, **kwargs)


@pytest.fixture
def experts(indexed):
    return indexed({
        1: {"name": "Amina Diallo", "bio": "PCB inventory of transformers in Senegal.",
            "country": "SN", "expertise": ["inventory", "disposal"], "rank": 3},
        2: {"name": "Issa Ouédraogo", "bio": "Transformer maintenance and PCB inventory.",
            "country": "BF", "expertise": ["inventory"], "rank": 1},
        3: {"name": "Marie Curie", "bio": "Laboratory analysis of PCB oil samples.",
            "country": "FR", "expertise": ["analysis"], "rank": 2},
        4: {"name": "Émile Zola", "bio": "Legislation on PCB-containing equipment.",
            "country": "FR", "expertise": ["legislation", "inventory"], "rank": 5},
        5: {"name": "Bob Adams", "bio": "Environmentally sound disposal of capacitors.",
            "country": "US", "expertise": ["disposal"], "rank": 4},
    })


def test_every_word_must_match(experts):
    assert sorted(ids_of(run("PCB inventory"))) == [1, 2]
    assert sorted(ids_of(run("inventory OR capacitors"))) == [1, 2, 5]
    assert ids_of(run("PCB NOT inventory -legislation")) == [3]


def test_facets_count_the_matching_documents(experts):
    results = run("PCB")
    assert results.total == 4
    assert results.facets["country"] == [("FR", 2), ("BF", 1), ("SN", 1)]
    assert results.facets["expertise"] == [("inventory", 3), ("analysis", 1), ("disposal", 1),
                                           ("legislation", 1)]


def test_filters_narrow_hits_and_counts(experts):
    results = run("PCB", filters={"country": ["FR", "SN"]})
    assert sorted(ids_of(results)) == [1, 3, 4]
    assert results.facets["country"] == [("FR", 2), ("SN", 1)]
    both = run("", filters={"country": "FR", "expertise": ["inventory"]})
    assert ids_of(both) == [4]


def test_keyword_field_search(experts):
    assert sorted(ids_of(run("country:FR"))) == [3, 4]


def test_an_empty_query_lists_everything_visible(experts):
    results = run("", sort="name")
    assert ids_of(results) == [1, 5, 4, 2, 3]  # Amina, Bob, Émile, Issa, Marie
    assert results.message is None and results.suggestion is None


def test_sorting_by_text_and_number_either_way(experts):
    assert ids_of(run("PCB", sort="rank")) == [2, 3, 1, 4]
    assert ids_of(run("PCB", sort="rank", reverse=True)) == [4, 1, 3, 2]
    assert ids_of(run("PCB", sort="name", reverse=True)) == [3, 2, 4, 1]
    assert run("PCB", sort="rank").sort == "rank"


def test_unknown_sort_falls_back_to_relevance_with_a_message(experts):
    results = run("PCB", sort="password")
    assert results.total == 4 and results.sort is None
    assert "relevance" in results.message


def test_relevance_ranks_name_matches_first(indexed):
    indexed({1: {"name": "Someone", "bio": "Works with Diallo on inventories."},
             2: {"name": "Amina Diallo", "bio": "Inventories."}})
    assert ids_of(run("Diallo")) == [2, 1]


def test_pagination(experts):
    first = run("", sort="rank", per_page=2)
    assert (first.total, first.pages, first.page) == (5, 3, 1)
    assert ids_of(first) == [2, 3]
    assert first.has_next and not first.has_prev and first.next_num == 2
    assert ids_of(run("", sort="rank", per_page=2, page=3)) == [4]
    beyond = run("", sort="rank", per_page=2, page=99)
    assert beyond.page == 3 and ids_of(beyond) == [4]
    assert list(run("", per_page=1, page=3).iter_pages()) == [1, 2, 3, 4, 5]


def test_snippets_mark_the_matched_words_in_the_database_text(experts):
    hit = run("transformers").hits[0]
    assert isinstance(hit.snippet, Markup)
    assert "<mark>transformers</mark>" in hit.snippet
    accent = run("ouedraogo").hits[0]
    assert accent.highlights["name"] == Markup("Issa <mark>Ouédraogo</mark>")


def test_snippets_are_escaped_and_come_from_the_database(indexed):
    adapter = indexed({1: {"name": "Eve", "bio": "Uses <script>alert(1)</script> on PCB oil."}})
    adapter.rows[1]["bio"] = "Now <b>edits</b> PCB & oil reports."  # not yet reindexed
    hit = run("PCB").hits[0]
    assert hit.snippet == Markup("Now &lt;b&gt;edits&lt;/b&gt; <mark>PCB</mark> &amp; oil "
                                 "reports.")
    assert "script" not in str(hit.snippet)


def test_snippets_mark_stemmed_and_prefixed_words(indexed):
    indexed({1: {"name": "Jean", "bio": "Les transformateurs sont éliminés.", "lang": "fr"}})
    assert "<mark>transformateurs</mark>" in run("transformateur").hits[0].snippet
    assert "<mark>éliminés</mark>" in run("élimin*").hits[0].snippet


def test_chinese_snippets_mark_whole_matched_words(indexed):
    # "变压器" is indexed as the bigrams 变压 and 压器: the whole word is marked, not "变压".
    indexed({1: {"name": "张伟", "bio": "含多氯联苯的变压器油必须安全处置。", "lang": "zh"}})
    snippet = str(run("变压器").hits[0].snippet)
    assert "<mark>变压器</mark>" in snippet
    assert snippet.count("<mark>") == 1
    assert "<mark>多氯联苯</mark>" in str(run("多氯联苯 变压器").hits[0].snippet)


def test_a_hit_without_marked_words_shows_the_start_of_its_text(experts):
    hit = run("country:US").hits[0]
    assert hit.snippet == Markup("Bob Adams")
    assert hit.highlights == {}


def test_did_you_mean(experts):
    results = run("Dialo")
    assert results.suggestion == "diallo"
    assert results.total == 1  # typo tolerance: what the correction finds
    assert [h.id for h in results.hits] == [h.id for h in run("diallo").hits]
    assert run("invantory transformer").suggestion == "inventory transformer"
    assert run("Diallo").suggestion is None


def test_no_suggestion_without_hits_for_the_whole_correction(experts):
    # each word exists, but never together in a document
    assert run("capacitors senegall").suggestion is None


@pytest.mark.parametrize("q, expected", [
    ('"unclosed', "quotation mark"),
    ("AND OR", "could not be understood"),
    ("*", "needs at least 2 letters"),
    ("-", "lone"),
    ("field:", "field name"),
    ("name:", "field name"),
    ("(PCB", "brackets"),
    ("PCB)", "brackets"),
    ("*ventory", "needs at least 2 letters"),
    ("?nventory", "needs at least 2 letters"),
    ("i*", "needs at least 2 letters"),
    ("PCB AND", "AND, OR and NOT"),
    ("NOT", "could not be understood"),
    ('""', "could not be understood"),
    ("\\", "could not be understood"),
    ("name:*", "needs at least 2 letters"),
    ("x" * 5000, "shortened to its first 256 characters"),
    ("PCB " * 2000, "shortened"),
    ("\x00\x07 inventory", None),
])
def test_malformed_queries_give_a_message_not_an_error(experts, q, expected):
    results = run(q)
    if expected is None:
        assert results.total == 2
    else:
        assert expected in results.message
    assert results.page == 1


def test_a_repaired_query_still_searches_its_words(experts):
    results = run('"PCB inventory')
    assert sorted(ids_of(results)) == [1, 2]
    assert "quotation mark" in results.message
    assert sorted(ids_of(run("*ory PCB inventory"))) == [1, 2]


def test_a_query_of_nothing_but_operators_finds_nothing(experts):
    results = run("AND OR")
    assert results.total == 0 and results.hits == []


def test_many_documents_with_a_typo_and_a_filter(indexed):
    # Enough postings for Whoosh's block-skipping optimisations to kick in: an earlier
    # version (a ``Require`` query) tripped an assertion inside Whoosh here.
    indexed({i: {"name": f"Expert {i}", "bio": "PCB inventory " * (1 + i % 5),
                 "country": "FR" if i % 2 else "SN"} for i in range(1, 601)})
    results = run("invantory", filters={"country": "FR"}, per_page=5)
    assert results.suggestion == "inventory"
    assert results.total == 300 and results.facets["country"] == [("FR", 300)]
    found = run("inventory", filters={"country": "FR"}, per_page=5, page=2)
    assert found.total == 300 and len(found.hits) == 5
    assert found.facets["country"] == [("FR", 300)]
