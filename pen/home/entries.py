"""Feed items as a member reads them: a sentence, a link, a kind — no query per item."""

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

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


def _someone(item: Item) -> str:
    """Who did it, or a neutral word when the account is gone or unknown."""
    return item.actor_name or _("Someone")


def _topic(item: Item) -> tuple[str, str]:
    """A new topic: its first post."""
    return (_("%(name)s started a topic", name=_someone(item)),
            url_for("forums.topic", topic_id=item.ref))


def _reply(item: Item) -> tuple[str, str]:
    """A reply: the post itself."""
    return (_("%(name)s replied", name=_someone(item)),
            url_for("forums.post_link", post_id=item.a))


def _document(item: Item) -> tuple[str, str]:
    """A new document, or a new edition (language) of one."""
    said = (_("%(name)s added an edition", name=_someone(item)) if item.number
            else _("%(name)s shared a document", name=_someone(item)))
    return said, url_for("library.document", document_id=item.ref)


def _version(item: Item) -> tuple[str, str]:
    """A new version of an edition's file."""
    return (_("%(name)s uploaded version %(number)d", name=_someone(item), number=item.number),
            url_for("library.document", document_id=item.ref))


def _member(item: Item) -> tuple[str, str]:
    """A member who joined the network: their profile."""
    return _("Joined the network"), url_for("members.profile", user_id=item.ref)


def _group_join(item: Item) -> tuple[str, str]:
    """A member who joined a group: the group."""
    return (_("%(name)s joined the group", name=_someone(item)),
            url_for("groups.show", slug=item.group_slug))


def _meeting(item: Item) -> tuple[str, str]:
    """A meeting planned: the group's meetings."""
    return _("Meeting planned"), url_for("groups.meeting_list", slug=item.group_slug)


def _plan(item: Item) -> tuple[str, str]:
    """A work-plan item added: the group's plan."""
    return _("Added to the work plan"), url_for("groups.plan", slug=item.group_slug)


def _award(item: Item) -> tuple[str, str]:
    """Award winners announced: the winners page."""
    return _("Winners announced"), url_for("awards.winners", cycle_id=item.ref)


_DESCRIBE = {"topic": _topic, "reply": _reply, "document": _document, "version": _version,
             "member": _member, "group_join": _group_join, "meeting": _meeting, "plan": _plan,
             "award": _award}


def entry(item: Item) -> Entry:
    """The line shown for ``item``."""
    sentence, url = _DESCRIBE[item.source](item)
    title = item.group_name if item.source == "group_join" else item.title
    group_url = url_for("groups.show", slug=item.group_slug) if item.group_slug else None
    return Entry(item.source, sentence, title or "", url, item.at, item.group_name, group_url)


def entries(items: list[Item]) -> list[Entry]:
    """The lines of a page."""
    return [entry(item) for item in items]
