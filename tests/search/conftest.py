"""Search engine fixtures: an adapter over a plain dict, so no table is needed.

The engine must not care where documents come from; ``DictAdapter.rows`` plays
the database. Viewers are plain objects holding the acl terms they may see.
"""

from dataclasses import dataclass, field

import pytest

from pen import search
from pen.extensions import db
from pen.search import index


@dataclass(frozen=True)
class Viewer:
    """Someone searching: the acl terms they hold."""

    terms: frozenset = field(default_factory=lambda: frozenset({"all-members"}))


MEMBER = Viewer()
ADMIN = Viewer(frozenset({"all-members", "admin"}))
NOBODY = Viewer(frozenset())


class DictAdapter(search.Adapter):
    """Documents read from ``self.rows`` ({id: {field: value, "acl": [...], "lang": ...}})."""

    kind = "thing"
    text_fields = {"name": 3.0, "bio": 1.0}
    keyword_fields = ("country", "expertise")
    facets = ("country", "expertise")
    sortable = {"name": "text", "rank": "number"}

    def __init__(self):
        self.rows: dict[int, dict] = {}

    def documents(self, ids=None):
        """Each row as a document, in id order."""
        wanted = sorted(self.rows) if ids is None else sorted(i for i in ids if i in self.rows)
        for object_id in wanted:
            row = self.rows[object_id]
            values = {k: v for k, v in row.items() if k not in {"acl", "lang"}}
            yield search.Document(object_id, row.get("acl", ["all-members"]), values,
                                  row.get("lang"))

    def ids(self):
        """Every id of the "database"."""
        return list(self.rows)

    def visibility_terms(self, user):
        """The viewer's own terms."""
        return user.terms

    def is_visible(self, user, ids):
        """A row is visible when it exists and shares an acl term with the viewer."""
        return {i for i in ids if i in self.rows
                and set(self.rows[i].get("acl", ["all-members"])) & user.terms}


@pytest.fixture
def search_app(app_factory):
    """An app whose drain never waits for a held index lock."""
    return app_factory(SEARCH_WRITER_TIMEOUT=0)


@pytest.fixture
def things(search_app):
    """The dict adapter, registered, inside an app context."""
    adapter = DictAdapter()
    search.register_adapter(search_app, adapter)
    with search_app.app_context():
        yield adapter


@pytest.fixture
def indexed(things):
    """``indexed(rows)``: put rows in the "database" and rebuild the index from it."""

    def load(rows: dict[int, dict]) -> DictAdapter:
        things.rows.update(rows)
        index.rebuild(things)
        return things

    return load


def publish(adapter: DictAdapter, object_id: int, row: dict | None) -> None:
    """Change the "database" and queue the index change in one commit, then drain."""
    if row is None:
        adapter.rows.pop(object_id, None)
        search.enqueue(adapter.kind, object_id, search.DELETE)
    else:
        adapter.rows[object_id] = row
        search.enqueue(adapter.kind, object_id)
    db.session.commit()
    assert search.drain()


def ids_of(results) -> list[int]:
    """The hit ids of a result page, in order."""
    return [hit.id for hit in results.hits]
