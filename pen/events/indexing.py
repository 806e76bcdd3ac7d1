"""Events in the search engine: the "event" adapter of ``pen.search``.

An event is found by its title, description and venue. Who may find it is the
registered "event" rule in its index form (the network's events for every
member, a group's for its members and the administrators): the acl is
``rule.acl(event)``, a search keeps what meets ``rule.terms(user)`` and the hits
are checked again with the rule's SQL clause.
"""

from collections.abc import Collection, Iterable

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import search, visibility
from ..extensions import db
from .models import Event
from .permissions import EVENT_KIND


class EventAdapter(search.Adapter):
    """Events by title, description and venue."""

    kind = EVENT_KIND
    label = _l("Events")
    search_endpoint = None  # the calendar has no text search: the unified page lists them
    text_fields = {"title": 4.0, "description": 1.0, "venue": 1.0}
    sortable = {"starts": "date"}

    @property
    def acl_scheme(self) -> str:
        """The event rule's shape: the index is rebuilt when the rule changes."""
        return visibility.rule_signature(EVENT_KIND)

    def _events(self, ids: Collection[int] | None) -> list[Event]:
        """The events of ``ids`` (every one when None), by id."""
        query = select(Event).order_by(Event.id)
        if ids is not None:
            query = query.where(Event.id.in_(list(ids)))
        return list(db.session.scalars(query))

    def documents(self, ids: Collection[int] | None = None) -> Iterable[search.Document]:
        """Every event (or those of ``ids``)."""
        rule = visibility.rule_for(EVENT_KIND)
        for event in self._events(ids):
            yield search.Document(id=event.id, acl=rule.acl(event), values={
                "title": event.title, "description": event.description,
                "venue": event.venue, "starts": event.starts_at})

    def ids(self) -> Iterable[int]:
        """Every event is indexed."""
        return db.session.scalars(select(Event.id))

    def visibility_terms(self, user) -> set[str]:
        """The user's terms under the registered event rule."""
        return visibility.rule_for(EVENT_KIND).terms(user)

    def is_visible(self, user, ids: Collection[int]) -> set[int]:
        """The database's answer, by the registered rule's clause."""
        return visibility.rule_for(EVENT_KIND).visible_ids(user, ids)

    def present(self, hits) -> list[dict]:
        """Title, date, venue and link of each hit for the unified search page."""
        found = {e.id: e for e in self._events([hit.id for hit in hits])} if hits else {}
        return [{"title": e.title, "url": url_for("events.show", event_id=e.id),
                 "summary": " · ".join(p for p in (f"{e.starts_at:%Y-%m-%d}", e.venue) if p),
                 "snippet": hit.snippet} for hit in hits if (e := found.get(hit.id))]


def register(app) -> None:
    """Make events searchable."""
    search.register_adapter(app, EventAdapter())
