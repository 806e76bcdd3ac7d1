"""The search query parser under arbitrary queries: it never raises, and nothing hidden leaks.

An index of public documents and documents only a group may see (with words of their
own); any query a member can type — random text, or operators, fields, wildcards,
quotes and brackets in random order — parses without an exception, and its results
(hits, total, facets, snippets, highlights, "did you mean") show nothing hidden.
"""

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pen import search
from pen.search import index, parsing
from pen.search.adapters import registered

SECRET_WORDS = ("zyxwvut", "quuxland", "espionage", "blorfium")
PUBLIC_WORDS = ("transformer", "capacitor", "inventory", "askarel", "panama", "oil", "zyxwvu")
TOKENS = [*SECRET_WORDS, *PUBLIC_WORDS, "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE",
          "-", "+", "(", ")", "\"", "*", "?", "~", "^2", ":", "name:", "bio:", "country:",
          "expertise:", "acl:", "id:", "lang:", "country:QX", "expertise:espionage",
          "acl:group7", "zyxw*", "quux*", "*land", "??", "[a TO z]", "{", "}", "/", "\\",
          "\x00", "\t", " ", "  ", "é", "ß", "İ", "中文", "٣", "'", "`", ":)", "&&", "||", "!"]
QUERIES = st.one_of(st.text(max_size=80),
                    st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join),
                    st.lists(st.sampled_from(TOKENS), max_size=12).map("".join))


@dataclass(frozen=True)
class Viewer:
    """Someone searching: the acl terms they hold."""

    terms: frozenset = field(default_factory=lambda: frozenset({"all-members"}))


MEMBER = Viewer()
INSIDER = Viewer(frozenset({"all-members", "group7"}))


class FuzzAdapter(search.Adapter):
    """Documents from a dict; a row is visible when it shares an acl term with the viewer."""

    kind = "fuzzthing"
    text_fields = {"name": 3.0, "bio": 1.0}
    keyword_fields = ("country", "expertise")
    facets = ("country", "expertise")
    sortable = {"name": "text"}

    def __init__(self, rows: dict[int, dict]):
        self.rows = rows

    def documents(self, ids=None):
        for object_id in sorted(self.rows if ids is None else set(ids) & set(self.rows)):
            row = self.rows[object_id]
            yield search.Document(object_id, row["acl"], {k: v for k, v in row.items()
                                                          if k != "acl"})

    def ids(self):
        return list(self.rows)

    def visibility_terms(self, user):
        return user.terms

    def is_visible(self, user, ids):
        return {i for i in ids if i in self.rows and set(self.rows[i]["acl"]) & user.terms}


def rows() -> dict[int, dict]:
    """Twenty public rows and ten a group's only, with words no public row has."""
    found = {}
    for number in range(1, 21):
        words = " ".join(PUBLIC_WORDS[(number + k) % len(PUBLIC_WORDS)] for k in range(3))
        found[number] = {"name": f"Public {words}", "bio": f"{words} report {number}",
                         "country": "PA", "expertise": ["inventory"], "acl": ["all-members"]}
    for number in range(21, 31):
        secret = " ".join(SECRET_WORDS)
        found[number] = {"name": f"Hidden {secret}", "bio": f"transformer {secret} {number}",
                         "country": "QX", "expertise": ["espionage"], "acl": ["group7"]}
    return found


@pytest.fixture
def adapter(app_factory):
    app = app_factory(SEARCH_WRITER_TIMEOUT=0)
    made = FuzzAdapter(rows())
    search.register_adapter(app, made)
    with app.app_context():
        index.rebuild(made)
        yield made


def shown_text(results) -> str:
    """What a result page shows from the index (not the messages about the query), lower-cased."""
    parts = [results.suggestion or ""]
    for hit in results.hits:
        parts += [str(hit.snippet), *map(str, hit.highlights.values())]
    parts += [value for values in results.facets.values() for value, count in values if count]
    return " ".join(parts).lower()


@given(QUERIES)
def test_a_member_never_sees_what_is_hidden(adapter, q):
    results = search.search("fuzzthing", MEMBER, q, per_page=50)
    assert {hit.id for hit in results.hits} <= set(range(1, 21))
    assert results.total <= 20
    shown = shown_text(results)
    for word in SECRET_WORDS:
        assert word in q.lower() or word not in shown, (word, shown)
    assert all(value != "QX" for value, count in results.facets.get("country", []) if count)


@given(QUERIES)
def test_the_parser_never_raises_for_any_kind(adapter, q):
    for kind in sorted(registered()):
        parsed = parsing.parse(search.get_adapter(kind), q)
        assert parsed.query is None or parsed.query is not False
    results = search.search("fuzzthing", INSIDER, q, per_page=50)
    assert {hit.id for hit in results.hits} <= set(range(1, 31))
