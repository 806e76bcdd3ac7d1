"""Matching what experts mean: the synonym list, width folding, typo tolerance, field names."""
# ruff: noqa: RUF001 - the test data is written in Cyrillic, Arabic and Chinese on purpose

import pytest

from pen import search
from pen.errors import ValidationError
from pen.search import index, matching, parsing, synonyms

from .conftest import MEMBER, DictAdapter, ids_of


def find(q: str, kind: str = "thing") -> list[int]:
    return ids_of(search.search(kind, MEMBER, q))


@pytest.fixture
def library(indexed):
    synonyms.save(None, "PCB\npolychlorinated biphenyls\nПХБ\n多氯联苯\nبي سي بي")
    synonyms.save(None, "askarel, Pyralène, совол")
    return indexed({
        1: {"name": "PCB inventory", "bio": "Transformers with PCB in Chile.", "lang": "en"},
        2: {"name": "Инвентаризация ПХБ", "bio": "Трансформаторы с ПХБ.", "lang": "ru"},
        3: {"name": "多氯联苯清单", "bio": "变压器", "lang": "zh"},
        4: {"name": "Polychlorinated biphenyls in capacitors", "bio": "Old ballasts.",
            "lang": "en"},
        5: {"name": "Condensateurs au pyralène", "bio": "Poste de Dakar.", "lang": "fr"},
        6: {"name": "Transformer efficiency", "bio": "Losses of transformers.", "lang": "en"},
        7: {"name": "جرد بي سي بي", "bio": "المحولات", "lang": "ar"},
    })


def test_a_listed_term_finds_its_synonyms_in_every_language(library):
    assert set(find("PCB")) == {1, 2, 3, 4, 7}
    assert set(find("ПХБ")) == {1, 2, 3, 4, 7}
    assert set(find("多氯联苯")) == {1, 2, 3, 4, 7}


def test_the_words_typed_rank_above_their_synonyms(library):
    assert find("ПХБ")[:1] == [2]
    assert find("PCB")[0] == 1


def test_a_multi_word_term_and_its_inflections_are_recognised(library):
    assert 1 in find("polychlorinated biphenyls")
    assert 1 in find("polychlorinated biphenyl")  # the singular, by its stem
    assert find('"polychlorinated biphenyls"') == [4]  # quoted: these words only


def test_a_field_the_member_named_stays_the_only_field(library):
    assert set(find("name:ПХБ")) == {1, 2, 3, 4, 7}
    assert find("bio:askarel") == []  # "pyralène" is in a title only


def test_a_change_of_the_list_applies_at_once_in_this_process(library):
    assert find("askarel") == [5]
    group = next(g for g in synonyms.groups() if "askarel" in g.term_list)
    synonyms.delete(None, group)
    assert find("askarel") == []


def test_full_width_letters_are_folded(library):
    assert 1 in find("ＰＣＢ")
    assert find("ｄａｋａｒ") == [5]


def test_a_misspelt_word_finds_what_its_correction_finds(library):
    results = search.search("thing", MEMBER, "transfromers")
    assert results.suggestion == "transformers"
    assert set(ids_of(results)) == {1, 6}


def test_corrections_never_swamp_exact_hits(library):
    results = search.search("thing", MEMBER, "dakar OR transfromers")
    assert ids_of(results)[0] == 5  # the exact hit first, then the correction's
    assert set(ids_of(results)) == {5, 1, 6}
    many = search.search("thing", MEMBER, "transformers OR zzqx")
    assert set(ids_of(many)) >= {1, 6}


@pytest.mark.parametrize("q", ["AND", "OR NOT", "AND OR NOT", "-", '""', "title:"])
def test_a_query_of_only_operators_finds_nothing_and_says_why(library, q):
    results = search.search("thing", MEMBER, q)
    assert results.hits == [] and results.messages


@pytest.mark.parametrize("text", ["<script>alert(1)</script>, PCB", "PCB, <b>PCBs</b>",
                                  'PCB, "askarel"', "PCB, title:x", "PCB, pcb*"])
def test_markup_or_query_syntax_in_a_synonym_is_refused(app, text):
    with pytest.raises(ValidationError):
        synonyms.parse_terms(text)


@pytest.mark.parametrize("text", ["", " , ;\n", "PCB", "PCB, pcb, PCB"])
def test_an_empty_list_or_a_single_term_is_refused(app, text):
    with pytest.raises(ValidationError, match="at least two"):
        synonyms.parse_terms(text)


def test_an_empty_synonym_table_changes_nothing(things):
    assert synonyms.build([]).alternatives == {}
    assert synonyms.build([["PCB", "pcb"]]).alternatives == {}  # one term, twice


class Docs(DictAdapter):
    """Documents with a title and authors, as the library has."""

    kind = "doc"
    text_fields = {"title": 4.0, "authors": 2.0}
    keyword_fields = ()
    facets = ()
    sortable = {}


def test_fields_answer_to_their_names_in_the_member_s_language(search_app):
    docs = Docs()
    search.register_adapter(search_app, docs)
    with search_app.app_context():
        docs.rows.update({1: {"title": "Askarel", "authors": "Kofi Mensah"},
                          2: {"title": "Kofi's notes", "authors": "Ana González"}})
        from pen.search import index
        index.rebuild(docs)
        for q in ["author:kofi", "auteur:kofi", "автор:kofi", "作者:kofi", "authors:kofi"]:
            assert find(q, "doc") == [1], q
        assert find("titre:kofi", "doc") == [2]
        assert parsing.field_aliases(docs)["authors"][0] == "author"


def test_documents_in_the_searcher_s_language_rank_first(indexed):
    indexed({1: {"name": "PCB report", "lang": "en"}, 2: {"name": "PCB rapport", "lang": "fr"}})
    assert ids_of(search.search("thing", MEMBER, "PCB")) == [1, 2]
    assert ids_of(search.search("thing", MEMBER, "PCB", prefer_lang="fr")) == [2, 1]
    assert ids_of(search.search("thing", MEMBER, "PCB", prefer_lang="fr_CA")) == [2, 1]
    assert ids_of(search.search("thing", MEMBER, "PCB", prefer_lang="xx")) == [1, 2]


def test_a_phrase_finds_its_words_in_order_and_only_in_order(indexed):
    """Words next to each other, in the order typed (repeated words too), and the same
    answer when asked again (kept per searcher)."""
    indexed({1: {"name": "oil of old transformers", "bio": "", "lang": "en"},
             2: {"name": "old transformers of oil", "bio": "", "lang": "en"},
             3: {"name": "very very old oil", "bio": "", "lang": "en"},
             4: {"name": "very old very oil", "bio": "", "lang": "en"}})
    for _ in range(2):
        assert find('"old transformers"') in ([1, 2], [2, 1])
        assert find('"transformers of oil"') == [2]
        assert find('"very very old"') == [3]
        assert find('"oil of old"') == [1]


@pytest.mark.parametrize("q", ["PCB", "polychlorinated biphenyls", "askarel Dakar",
                               "PCB inventory", '"polychlorinated biphenyls"', "ПХБ"])
def test_words_and_synonyms_score_the_same_from_postings_as_from_whole_arrays(
        library, monkeypatch, q):
    """A word or several-word synonym is evaluated from its postings alone (``sparse``):
    the hits and their scores are those of the whole-index evaluation, to the last bit."""
    def ranked():
        results = search.search("thing", MEMBER, q)
        return [(hit.id, hit.score) for hit in results.hits], results.total

    from_postings = ranked()
    monkeypatch.setattr(matching, "_sparse_able", lambda _q: False)
    index.forget_searcher(library)  # a fresh searcher: nothing kept from the first run
    assert ranked() == from_postings
    assert from_postings[1] > 0
