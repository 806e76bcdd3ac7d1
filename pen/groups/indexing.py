"""Groups in the search engine: the "group" and "group_activity" adapters of ``pen.search``.

A group is found by its name and description, through the registered "group" rule
(listed groups are every member's, unlisted ones their members' and the
administrators'); a line of its work plan by its title and description, through
the "group_activity" rule (the group's members and the administrators), so the
plan of a listed group stays inside it. Each adapter's acl is its rule's index
form, a search keeps what meets ``rule.terms(user)`` and the hits are checked
again with the rule's SQL clause. Membership changes need no reindexing: they
change the searcher's terms, not a document's acl.
"""

from collections.abc import Collection, Iterable

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import search, visibility
from ..extensions import db
from .models import Activity, Group
from .permissions import GROUP_KIND, PLAN_KIND


class _RuleAdapter(search.Adapter):
    """An adapter whose visibility is the registered rule of its kind."""

    model: type = Group

    @property
    def acl_scheme(self) -> str:
        """The rule's shape: the index is rebuilt when the rule changes."""
        return visibility.rule_signature(self.kind)

    def _rows(self, ids: Collection[int] | None) -> list:
        """The objects of ``ids`` (every one when None), by id."""
        query = select(self.model).order_by(self.model.id)
        if ids is not None:
            query = query.where(self.model.id.in_(list(ids)))
        return list(db.session.scalars(query))

    def ids(self) -> Iterable[int]:
        """Every object is indexed."""
        return db.session.scalars(select(self.model.id))

    def visibility_terms(self, user) -> set[str]:
        """The user's terms under the registered rule."""
        return visibility.rule_for(self.kind).terms(user)

    def is_visible(self, user, ids: Collection[int]) -> set[int]:
        """The database's answer, by the registered rule's clause."""
        return visibility.rule_for(self.kind).visible_ids(user, ids)


class GroupAdapter(_RuleAdapter):
    """Thematic groups by name and description."""

    kind = GROUP_KIND
    label = _l("Groups")
    search_endpoint = "groups.index"
    text_fields = {"name": 4.0, "description": 1.0}

    def documents(self, ids: Collection[int] | None = None) -> Iterable[search.Document]:
        """Every group (or those of ``ids``)."""
        rule = visibility.rule_for(self.kind)
        for group in self._rows(ids):
            yield search.Document(id=group.id, acl=rule.acl(group), values={
                "name": group.name, "description": group.description})

    def present(self, hits) -> list[dict]:
        """Name, link and snippet of each hit for the unified search page."""
        groups = {g.id: g for g in self._rows([hit.id for hit in hits])} if hits else {}
        return [{"title": g.name, "url": url_for("groups.show", slug=g.slug), "summary": "",
                 "snippet": hit.snippet} for hit in hits if (g := groups.get(hit.id))]


class ActivityAdapter(_RuleAdapter):
    """The lines of the groups' work plans by title and description."""

    kind = PLAN_KIND
    model = Activity
    label = _l("Work plans")
    search_endpoint = None  # no search page of its own: the unified page lists them all
    text_fields = {"title": 3.0, "description": 1.0}

    def documents(self, ids: Collection[int] | None = None) -> Iterable[search.Document]:
        """Every work-plan line (or those of ``ids``)."""
        rule = visibility.rule_for(self.kind)
        for activity in self._rows(ids):
            yield search.Document(id=activity.id, acl=rule.acl(activity), values={
                "title": activity.title, "description": activity.description})

    def present(self, hits) -> list[dict]:
        """Title, group and link (the group's plan) of each hit for the unified search page."""
        found = {a.id: a for a in self._rows([hit.id for hit in hits])} if hits else {}
        return [{"title": a.title, "url": url_for("groups.plan", slug=a.group.slug)
                 + f"#activity-{a.id}", "summary": a.group.name, "snippet": hit.snippet}
                for hit in hits if (a := found.get(hit.id))]


def register(app) -> None:
    """Make groups and work plans searchable."""
    search.register_adapter(app, GroupAdapter())
    search.register_adapter(app, ActivityAdapter())
