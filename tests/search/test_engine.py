"""The engine's contract with areas: adapters, documents, settings, and Whoosh's quirks."""

import random
from datetime import UTC, date, datetime

import pytest
from markupsafe import Markup

from pen import search
from pen.extensions import db
from pen.search import index, parsing

from .conftest import MEMBER, DictAdapter, ids_of


def test_adapters_are_validated_when_registered(search_app):
    class NoKind(DictAdapter):
        kind = "Bad Kind"

    class FacetNotKeyword(DictAdapter):
        facets = ("name",)

    class ReservedName(DictAdapter):
        keyword_fields = ("acl",)

    class BadSort(DictAdapter):
        sortable = {"name": "colour"}

    for adapter_class in (NoKind, FacetNotKeyword, ReservedName, BadSort):
        with pytest.raises(ValueError):
            search.register_adapter(search_app, adapter_class())


def test_one_adapter_per_kind(search_app, things):
    with pytest.raises(ValueError):
        search.register_adapter(search_app, DictAdapter())
    assert "thing" in search.kinds()


def test_a_keyword_value_with_a_comma_fails_its_outbox_row(things):
    index.rebuild(things)
    things.rows[1] = {"name": "Comma", "country": "Korea, Republic of"}
    search.enqueue("thing", 1)
    db.session.commit()
    report = search.drain()
    assert report.failed == 1


def test_lists_join_and_dates_sort(search_app, things):
    class Dated(DictAdapter):
        kind = "dated"
        sortable = {"joined": "date", "rank": "number"}

    adapter = Dated()
    adapter.rows = {
        1: {"name": ["Amina", "Diallo"], "joined": datetime(2024, 5, 1, 12, tzinfo=UTC),
            "rank": -2.5},
        2: {"name": "Issa", "joined": date(2023, 1, 1), "rank": 10},
        3: {"name": "Lan"},  # no date and no rank: last either way
    }
    search.register_adapter(search_app, adapter)
    index.rebuild(adapter)
    assert ids_of(search.search("dated", MEMBER, "", sort="joined")) == [2, 1, 3]
    assert ids_of(search.search("dated", MEMBER, "", sort="joined", reverse=True)) == [1, 2, 3]
    assert ids_of(search.search("dated", MEMBER, "", sort="rank")) == [1, 2, 3]
    assert ids_of(search.search("dated", MEMBER, '"amina diallo"')) == [1]


def test_the_search_sees_each_commit_of_the_index(indexed):
    adapter = indexed({1: {"name": "Amina Diallo"}})
    assert search.search("thing", MEMBER, "").total == 1
    adapter.rows[2] = {"name": "Issa Ouédraogo"}
    search.enqueue("thing", 2)
    db.session.commit()
    search.drain()
    assert search.search("thing", MEMBER, "").total == 2


def test_relevance_pages_beyond_the_last_show_the_last(indexed):
    indexed({i: {"name": f"Expert {i}", "bio": "PCB"} for i in range(1, 6)})
    results = search.search("thing", MEMBER, "PCB", per_page=2, page=40)
    assert (results.page, results.pages, results.total, len(results.hits)) == (3, 3, 5, 1)


def test_an_unparseable_query_falls_back_to_its_words(indexed, monkeypatch):
    indexed({1: {"name": "Amina Diallo", "bio": "PCB inventory"}})
    real = parsing.make_parser

    class Fussy:
        def __init__(self, adapter):
            self.parser = real(adapter)

        def parse(self, text):
            if "~" in text:
                raise ValueError("unsupported")
            return self.parser.parse(text)

    monkeypatch.setattr(parsing, "make_parser", Fussy)
    results = search.search("thing", MEMBER, "PCB~ inventory~")
    assert ids_of(results) == [1]
    assert "showing results for the words: PCB inventory" in results.message


def test_long_texts_give_a_fragment_around_the_match(indexed):
    bio = "Filler words here. " * 30 + "The transformer inventory ended. " + "More. " * 40
    indexed({1: {"name": "Long", "bio": bio}})
    snippet = search.search("thing", MEMBER, "inventory").hits[0].snippet
    assert isinstance(snippet, Markup)
    assert "<mark>inventory</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(str(snippet)) < len(bio) / 2


def test_search_all_returns_each_kind(indexed):
    indexed({1: {"name": "Amina Diallo"}})
    everything = search.search_all(MEMBER, "Diallo", kinds=["thing"])
    assert list(everything) == ["thing"] and ids_of(everything["thing"]) == [1]


def test_seeding_random_cannot_make_whoosh_reuse_a_segment_name(indexed):
    adapter = indexed({1: {"name": "Amina Diallo"}})
    random.seed(7)
    index.rebuild(adapter)
    random.seed(7)
    index.rebuild(adapter)  # Whoosh alone would fail: same segment name twice
    assert index.indexed_ids(index.open_existing(adapter)) == {1}


def test_rebuild_in_several_processes(indexed):
    adapter = indexed({})
    adapter.rows.update({i: {"name": f"Expert {i}", "bio": "PCB"} for i in range(1, 301)})
    assert index.rebuild(adapter, procs=2) == 300
    assert search.search("thing", MEMBER, "PCB").total == 300
