"""A search never reveals a document the searcher may not open: no hit, count, facet, snippet
or suggestion."""

import pytest

from pen import search
from pen.extensions import db
from pen.search import index

from .conftest import ADMIN, MEMBER, NOBODY, Viewer, ids_of, publish


@pytest.fixture
def restricted(indexed):
    return indexed({
        1: {"name": "Amina Diallo", "bio": "PCB inventory in Senegal.", "country": "SN",
            "expertise": ["inventory"]},
        2: {"name": "Secret Zyxwvut", "bio": "Confidential PCB inventory of Quuxland.",
            "country": "QX", "expertise": ["inventory", "espionage"],
            "acl": ["admin", "group:7"]},
    })


def test_the_restricted_document_is_invisible_everywhere_to_a_member(restricted):
    results = search.search("thing", MEMBER, "PCB inventory")
    assert ids_of(results) == [1] and results.total == 1
    assert dict(results.facets["country"]) == {"SN": 1}
    assert dict(results.facets["expertise"]) == {"inventory": 1}
    assert all("Quuxland" not in hit.snippet for hit in results.hits)

    for q in ("Zyxwvut", "Quuxland", "country:QX", "expertise:espionage", "Zyxw*", '"of Quuxland"'):
        nothing = search.search("thing", MEMBER, q)
        assert (nothing.total, nothing.hits) == (0, []), q
        assert all(count == 0 for values in nothing.facets.values() for _, count in values)

    assert search.search("thing", MEMBER, "Zyxwvvt").suggestion is None
    assert search.search("thing", MEMBER, "Quuxlnd").suggestion is None


def test_the_document_is_visible_to_holders_of_its_terms(restricted):
    for viewer in (ADMIN, Viewer(frozenset({"group:7"}))):
        results = search.search("thing", viewer, "Quuxland")
        assert ids_of(results) == [2]
        assert "<mark>Quuxland</mark>" in results.hits[0].snippet
    assert search.search("thing", ADMIN, "Quuxlnd").suggestion == "quuxland"
    assert dict(search.search("thing", ADMIN, "PCB").facets["country"]) == {"SN": 1, "QX": 1}


def test_someone_without_terms_sees_nothing(restricted):
    results = search.search("thing", NOBODY, "")
    assert (results.total, results.hits, results.facets) == (0, [], {})


def test_a_document_hidden_in_the_database_but_not_yet_reindexed_stays_hidden(restricted):
    restricted.rows[1]["acl"] = ["admin"]  # made private; the index change is still queued
    search.enqueue("thing", 1)
    db.session.commit()

    results = search.search("thing", MEMBER, "PCB inventory")
    assert (results.total, results.hits) == (0, [])
    assert results.facets["country"] == []
    assert search.drain().applied == 1
    assert search.search("thing", ADMIN, "PCB inventory").total == 2


def test_hits_are_rechecked_against_the_database(restricted):
    # The index is wrong (no outbox row explains it): the database predicate still wins.
    restricted.rows[1]["acl"] = ["admin"]
    results = search.search("thing", MEMBER, "Amina")
    assert (results.total, results.hits) == (0, [])
    assert results.facets["country"] == []


def test_a_deleted_document_disappears_after_the_drain(restricted):
    publish(restricted, 1, None)
    assert search.search("thing", MEMBER, "Amina").total == 0
    assert index.indexed_ids(index.open_index(restricted)) == {2}
