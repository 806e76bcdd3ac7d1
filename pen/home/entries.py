"""Feed items as a member reads them: a sentence, a link, a kind — no query per item."""

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..activity import sources
from ..avatars import Face
from .feed import Item

KIND_LABELS = {
    "forums": _l("Forums"), "library": _l("Library"), "members": _l("New members"),
    "groups": _l("Group news"), "awards": _l("Awards"),
}


@dataclass(frozen=True)
class Entry:
    """One line of the feed: what happened, where it leads, when and in which group."""

    source: str
    sentence: str
    title: str
    url: str
    at: datetime
    group_name: str | None
    group_url: str | None
    actor: Face | None = None


def entry(item: Item) -> Entry:
    """The line shown for ``item``."""
    sentence, url = sources()[item.source].describe(item)
    title = item.group_name if item.source == "group_join" else item.title
    group_url = url_for("groups.show", slug=item.group_slug) if item.group_slug else None
    actor = Face(item.actor_id, item.actor_name or "", item.actor_avatar_key) \
        if item.actor_id else None
    return Entry(item.source, sentence, title or "", url, item.at, item.group_name, group_url,
                 actor)


def entries(items: list[Item]) -> list[Entry]:
    """The lines of a page."""
    return [entry(item) for item in items]
