"""Feed items as a member reads them: one sentence with its links, a kind — no query per item.

Each source writes its whole line as one translated sentence (``activity.fill``): the
item's title and the group's name go in as escaped links, never as pieces around it."""

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..activity import link, sources
from ..avatars import Face
from .feed import Item

KIND_LABELS = {
    "forums": _l("Forums"), "library": _l("Library"), "members": _l("New members"),
    "groups": _l("Group news"), "awards": _l("Awards"),
}


@dataclass(frozen=True)
class Entry:
    """One line of the feed: the sentence (markup: its links made, its titles escaped),
    where it leads, when."""

    source: str
    sentence: Markup
    url: str
    at: datetime
    actor: Face | None = None


def entry(item: Item) -> Entry:
    """The line shown for ``item``."""
    group = link(url_for("groups.show", slug=item.group_slug), item.group_name or "") \
        if item.group_slug else None
    sentence, url = sources()[item.source].describe(item, group)
    actor = Face(item.actor_id, item.actor_name or "", item.actor_avatar_key) \
        if item.actor_id else None
    return Entry(item.source, sentence, url, item.at, actor)


def entries(items: list[Item]) -> list[Entry]:
    """The lines of a page."""
    return [entry(item) for item in items]
