"""Rebuildable and checkable: ``search reindex``, ``search check``, broken indexes repaired."""

import mmap
import os
import shutil
from pathlib import Path

import pytest
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import StructFile

from pen import search
from pen.search import index

from .conftest import MEMBER, DictAdapter, ids_of

ROWS = {1: {"name": "Amina Diallo"}, 2: {"name": "Issa Ouédraogo"}, 3: {"name": "Lan Nguyen"}}


@pytest.fixture
def cli(search_app, things):
    runner = search_app.test_cli_runner()
    return lambda *args: runner.invoke(args=["search", *args])


def test_reindex_rebuilds_every_index_and_prints_a_summary(things, cli):
    things.rows.update(ROWS)
    result = cli("reindex")
    assert result.exit_code == 0, result.output
    assert "thing: 3 documents" in result.output
    assert "Reindexed 3 documents" in result.output
    assert index.indexed_ids(index.open_index(things)) == {1, 2, 3}


def test_reindex_of_an_unknown_kind_is_refused(cli):
    result = cli("reindex", "--kind", "nothing")
    assert result.exit_code == 2
    assert "unknown kind nothing" in result.output


def test_check_names_missing_and_stale_documents_then_passes_after_reindex(indexed, cli):
    adapter = indexed(dict(ROWS))
    adapter.rows[4] = {"name": "New Member"}  # in the database, never indexed
    del adapter.rows[2]  # gone from the database, still indexed

    result = cli("check")
    assert result.exit_code == 1
    assert "thing: 1 missing in index: 4" in result.output
    assert "thing: 1 stale in index: 2" in result.output

    assert cli("reindex", "--kind", "thing").exit_code == 0
    result = cli("check", "--kind", "thing")
    assert result.exit_code == 0, result.output
    assert "thing: OK" in result.output


def test_check_reports_an_index_that_cannot_be_opened(things, cli):
    result = cli("check")
    assert result.exit_code == 1
    assert "thing: the index cannot be opened" in result.output


def unavailable_until_the_worker_rebuilds(words: str) -> list[int]:
    """Search answers "being rebuilt" (never rebuilding in the request); the worker's
    pass rebuilds; the hits of ``words`` after it."""
    results = search.search("thing", MEMBER, words)
    assert results.unavailable and results.hits == [] and "being rebuilt" in results.message
    assert "thing" in search.drain().rebuilt
    return ids_of(search.search("thing", MEMBER, words))


def test_a_missing_index_is_rebuilt_by_the_worker(indexed):
    adapter = indexed(dict(ROWS))
    shutil.rmtree(index.index_dir("thing"))
    assert unavailable_until_the_worker_rebuilds("Diallo") == [1]
    assert index.indexed_ids(index.open_existing(adapter)) == {1, 2, 3}


def test_a_corrupt_index_is_rebuilt_by_the_worker(indexed):
    indexed(dict(ROWS))
    for path in index.index_dir("thing").iterdir():
        path.write_bytes(b"\x00garbage")
    assert unavailable_until_the_worker_rebuilds("Ouedraogo") == [2]


def test_an_empty_directory_is_rebuilt_by_the_worker(indexed):
    indexed(dict(ROWS))
    shutil.rmtree(index.index_dir("thing"))
    index.index_dir("thing").mkdir()
    (index.index_dir("thing") / "junk.txt").write_text("not an index")
    assert unavailable_until_the_worker_rebuilds("Nguyen") == [3]


def test_an_index_of_an_older_field_declaration_is_rebuilt_by_the_worker(search_app, indexed):
    adapter = indexed(dict(ROWS))

    class Wider(DictAdapter):
        text_fields = {"name": 3.0, "bio": 1.0, "title": 1.0}

    wider = Wider()
    wider.rows = adapter.rows
    wider.rows[1]["title"] = "Focal point"
    with pytest.raises(index.SchemaChanged):
        index.open_existing(wider)
    search_app.extensions["pen.search.adapters"]["thing"] = wider
    assert unavailable_until_the_worker_rebuilds("title:focal") == [1]


def test_reindex_replaces_everything_in_one_commit(indexed):
    adapter = indexed(dict(ROWS))
    adapter.rows.clear()
    adapter.rows[9] = {"name": "Only One"}
    assert index.rebuild(adapter) == 1
    assert index.indexed_ids(index.open_index(adapter)) == {9}


def _mapped_pages(path: Path) -> set[int]:
    """The pages of file ``path`` mapped into this process (/proc/self/maps)."""
    pages = set()
    for line in Path(f"/proc/{os.getpid()}/maps").read_text().splitlines():
        fields = line.split()
        if len(fields) >= 6 and fields[5] == str(path):
            low, high = (int(x, 16) for x in fields[0].split("-"))
            first = int(fields[2], 16) // mmap.PAGESIZE
            pages.update(range(first, first + (high - low) // mmap.PAGESIZE))
    return pages


def _pages_of(segment: Path, extension: str) -> set[int]:
    """The pages lying wholly inside the parts of a compound segment with ``extension``."""
    with open(segment, "rb") as file:
        compound = CompoundStorage(StructFile(file), use_mmap=False)
        ranges = [compound.range(name) for name in compound.list() if name.endswith(extension)]
    return {page for offset, length in ranges
            for page in range(-(-offset // mmap.PAGESIZE), (offset + length) // mmap.PAGESIZE)}


def test_a_search_maps_the_word_lookups_of_the_index_and_reads_its_postings(indexed):
    """A web worker's resident memory does not grow with the postings its searches have
    read (read and decoded, never mapped); the term tables, where every search looks its
    words up a few bytes at a time, are mapped."""
    words = ["inventory", "transformer", "capacitor", "disposal", "solvent", "phase-out"]
    indexed({i: {"name": f"Member {i}", "bio": " ".join(words[j % 6] + str(i % 97 + j)
                                                         for j in range(60))}
             for i in range(1, 400)})
    assert ids_of(search.search("thing", MEMBER, "Member 7"))[:1] == [7]
    [segment] = [s.resolve() for s in index.index_dir("thing").glob("*.seg")]
    mapped, postings = _mapped_pages(segment), _pages_of(segment, ".pst")
    assert len(postings) > 3 and not mapped & postings
    assert mapped & _pages_of(segment, ".trm")
