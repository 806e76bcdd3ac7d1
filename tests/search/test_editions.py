"""Editions of one work: the reader's language edition comes where the work's best
matching edition would, the others after it; nothing is added or hidden."""

import pytest

from pen import search
from pen.search import index

from .conftest import MEMBER, DictAdapter, Viewer, ids_of


class Editions(DictAdapter):
    """Language editions of works, linked by their work's key."""

    kind = "edition"
    text_fields = {"title": 4.0, "body": 1.0}
    keyword_fields = ("work",)
    facets = ()
    sortable = {"title": "text"}
    edition_field = "work"


def find(q: str, prefer_lang: str | None = None, user=MEMBER, **kwargs) -> list[int]:
    return ids_of(search.search("edition", user, q, prefer_lang=prefer_lang, **kwargs))


@pytest.fixture
def works(search_app):
    adapter = Editions()
    search.register_adapter(search_app, adapter)
    with search_app.app_context():
        adapter.rows.update({
            1: {"title": "PCB inventory guidelines", "body": "PCB PCB in transformers.",
                "work": "inv", "lang": "en"},
            2: {"title": "Руководство по инвентаризации", "body": "PCB в трансформаторах.",
                "work": "inv", "lang": "ru"},
            3: {"title": "PCB maintenance", "body": "PCB oil.", "work": "maint", "lang": "en"},
            4: {"title": "PCB sampling", "body": "PCB PCB PCB.", "work": "samp", "lang": "en"},
            5: {"title": "Отбор проб", "body": "Масло.", "work": "samp", "lang": "ru"},
            6: {"title": "Форум: PCB", "body": "Вопрос.", "lang": "ru",
                "acl": ["admin"]},
        })
        index.rebuild(adapter)
        yield adapter


def test_the_reader_s_edition_takes_the_place_of_the_work_s_best_edition(works):
    english = find("PCB")
    assert english.index(1) < english.index(2)  # the English reader: as scored
    russian = find("PCB", prefer_lang="ru")
    assert russian.index(2) < russian.index(1)
    assert russian.index(2) <= english.index(1)  # where the English edition was, or above


def test_an_edition_that_did_not_match_is_not_brought_in(works):
    assert 5 not in find("PCB", prefer_lang="ru")  # its sampling edition says no "PCB"
    found = find("PCB sampling", prefer_lang="ru")
    assert found[0] == 4 and 5 not in found


def test_works_without_a_reader_s_edition_keep_their_place(works):
    assert find("maintenance", prefer_lang="ru") == [3]
    assert set(find("PCB", prefer_lang="ru")) == set(find("PCB"))  # nothing added or hidden


def test_a_hidden_document_is_never_shown_by_the_grouping(works):
    assert 6 not in find("PCB", prefer_lang="ru")
    assert 6 in find("PCB", prefer_lang="ru", user=Viewer(frozenset({"all-members", "admin"})))


def test_sorted_results_are_not_regrouped(works):
    assert find("PCB", prefer_lang="ru", sort="title") == find("PCB", sort="title")


def test_the_edition_field_must_be_a_keyword_field(search_app):
    class Broken(Editions):
        kind = "broken"
        keyword_fields = ()

    with pytest.raises(ValueError, match="edition field"):
        search.register_adapter(search_app, Broken())
