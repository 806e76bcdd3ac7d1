"""The array engine at the edges: broad queries, sorted pages, stemming at query time,
cached postings across index versions, warm-up."""

import pytest

from pen import search
from pen.search import index, postings

from .conftest import ADMIN, MEMBER, ids_of, publish


@pytest.fixture
def crowd(indexed):
    """Twelve documents sharing a common word; every third is for administrators only."""
    rows = {}
    for i in range(1, 13):
        rows[i] = {"name": f"Expert {i:02d}", "bio": "PCB inventory and transformer oil.",
                   "rank": 100 - i, "country": "SN" if i % 2 else "FR"}
        if i % 3 == 0:
            rows[i]["acl"] = ["admin"]
    return indexed(rows)


def test_a_broad_query_sorted_by_a_field_shows_only_visible_hits(crowd):
    visible = [i for i in range(1, 13) if i % 3]
    results = search.search("thing", MEMBER, "pcb", sort="rank", per_page=5)
    assert results.total == len(visible) == 8
    assert ids_of(results) == sorted(visible, key=lambda i: 100 - i)[:5]
    second = search.search("thing", MEMBER, "pcb", sort="rank", per_page=5, page=2)
    assert ids_of(second) == sorted(visible, key=lambda i: 100 - i)[5:]
    reverse = search.search("thing", MEMBER, "pcb", sort="rank", reverse=True, per_page=3)
    assert ids_of(reverse) == [1, 2, 4]
    assert dict(results.facets["country"]) == {"SN": 4, "FR": 4}


def test_a_broad_query_by_relevance_counts_and_ranks_only_visible_hits(crowd):
    results = search.search("thing", MEMBER, "transformer oil", per_page=20)
    assert results.total == 8
    assert sorted(ids_of(results)) == [i for i in range(1, 13) if i % 3]
    assert all(hit.score and hit.score > 0 for hit in results.hits)
    everyone = search.search("thing", ADMIN, "transformer oil", per_page=20)
    assert everyone.total == 12


def test_a_name_match_outranks_a_text_match(indexed):
    indexed({1: {"name": "Olga Petrova", "bio": "Works with Kowalski on oil."},
             2: {"name": "Tomasz Kowalski", "bio": "Transformer oil."}})
    assert ids_of(search.search("thing", MEMBER, "kowalski")) == [2, 1]


def test_a_word_in_a_short_text_outranks_it_in_a_long_one(indexed):
    """BM25's length normalisation: a capacitor note beats a long report that mentions
    capacitors once (the report comes first when scores tie)."""
    filler = " ".join(f"inventory{i}" for i in range(150))
    indexed({1: {"name": "A", "bio": f"Annual report: {filler} and one capacitor."},
             2: {"name": "B", "bio": "Leaking capacitor."}})
    hits = search.search("thing", MEMBER, "capacitor").hits
    assert [hit.id for hit in hits] == [2, 1]
    assert hits[0].score > hits[1].score


def test_stemming_applies_only_to_documents_of_the_stemmers_language(indexed):
    indexed({1: {"name": "A", "bio": "Un transformateur.", "lang": "fr"},
             2: {"name": "B", "bio": "A transformation.", "lang": "en"}})
    # French stemming joins transformateurs and transformation, but only in French text.
    assert ids_of(search.search("thing", MEMBER, "transformateurs")) == [1]
    both = search.search("thing", MEMBER, "transformations")
    assert sorted(ids_of(both)) == [1, 2]
    marks = {hit.id: str(hit.snippet) for hit in both.hits}
    assert "<mark>transformateur</mark>" in marks[1]
    assert "<mark>transformation</mark>" in marks[2]


def test_a_changed_document_is_seen_through_the_cached_postings(crowd):
    assert 1 in ids_of(search.search("thing", ADMIN, "pcb", per_page=20))
    publish(crowd, 1, {"name": "Expert 01", "bio": "Capacitors only.", "rank": 99})
    after = search.search("thing", ADMIN, "pcb", per_page=20)
    assert 1 not in ids_of(after) and after.total == 11
    assert ids_of(search.search("thing", ADMIN, "capacitors")) == [1]
    publish(crowd, 2, None)
    assert search.search("thing", ADMIN, "pcb", per_page=20).total == 10


def test_warming_reads_the_frequent_words_and_changes_no_result(crowd):
    before = search.search("thing", MEMBER, "pcb inventory", per_page=20)
    postings.clear_cache()
    assert search.warm(["thing"]) > 0
    after = search.search("thing", MEMBER, "pcb inventory", per_page=20)
    assert (ids_of(after), after.total) == (ids_of(before), before.total)


def _warmed_postings() -> int:
    """How many postings of words the cache holds (not lengths, stems or word lists)."""
    return sum(size for key, (_value, size) in postings._cache.entries.items()
               if key[0] == "p")


def test_a_kind_warms_its_share_after_another_kind_filled_half_the_cache(crowd):
    postings.clear_cache()
    capacity = postings._cache.capacity
    try:
        postings.set_capacity(400)
        postings._cache.put(("another kind",), object(), 200)  # the library warmed first
        assert search.warm(["thing"]) > 0
        assert 0 < _warmed_postings() <= 100 + 12  # its quarter, give or take the last word
    finally:
        postings.set_capacity(capacity)
        postings.clear_cache()


def test_one_kind_warms_at_most_a_quarter_of_the_cache(crowd):
    postings.clear_cache()
    capacity = postings._cache.capacity
    try:
        postings.set_capacity(40)
        assert search.warm(["thing"]) == 1  # each word is in 12 documents: one passes 10
        assert _warmed_postings() == 12
    finally:
        postings.set_capacity(capacity)
        postings.clear_cache()


def test_phrases_prefixes_and_negation_on_the_arrays(crowd):
    publish(crowd, 4, {"name": "Expert 04", "bio": "Oil transformer, not PCB.", "rank": 96})
    assert 4 not in ids_of(search.search("thing", ADMIN, '"transformer oil"', per_page=20))
    assert ids_of(search.search("thing", ADMIN, "transformer -inventory")) == [4]
    assert search.search("thing", ADMIN, "invent*", per_page=20).total == 11
    assert search.search("thing", ADMIN, "capacitors OR oil", per_page=20).total == 12


def test_postings_spanning_many_blocks_read_as_whoosh_reads_them(indexed):
    rows = {i: {"name": f"N{i}", "bio": ("oil " * (i % 3 + 1)) + f"pcb w{i % 7} oil"}
            for i in range(1, 401)}
    adapter = indexed(rows)
    with index.open_index(adapter).reader() as reader:
        leaf = next(iter(reader.leaf_readers()))[0]
        arrays = postings.term_postings(leaf, "bio", b"oil")
        expected = list(leaf.postings("bio", b"oil").items_as("frequency"))
        assert arrays.size == 400 > 128  # several blocks of 128 postings
        assert [(int(d), float(f)) for d, f in zip(arrays.ids, arrays.tf, strict=True)] == \
            [(d, float(f)) for d, f in expected]
        docs, positions = postings.term_positions(leaf, "bio", b"pcb")
        matcher = leaf.postings("bio", b"pcb")
        assert list(zip(docs.tolist(), positions.tolist(), strict=True)) == [
            (d, p) for d, ps in matcher.items_as("positions") for p in ps]
    assert search.search("thing", MEMBER, '"pcb w3 oil"', per_page=100).total == len(
        [i for i in rows if i % 7 == 3])
