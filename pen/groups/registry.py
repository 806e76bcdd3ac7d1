"""What higher layers plug into a group: page sections and work-plan link kinds.

Groups may not import forums, the library or events, so those areas register here:

* ``register_section(app, name, provider, order=50)``: ``provider(group, user)``
  returns a ``Section`` (a title, a template to include and its context) for
  the group page, or None to show nothing (e.g. for non-members).
* ``register_link_kind(app, kind, resolver, label=…)``: ``resolver(user, ids)``
  returns ``{id: LinkTarget}`` for the ids that exist; ``LinkTarget.visible``
  says whether ``user`` may open it, ``group_id`` which group (if any) holds
  it. Work-plan links ("topic", "document") and meeting minutes ("document")
  are resolved through it, so nobody sees the title of what they cannot open.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from flask import Flask, current_app

_SECTIONS_KEY = "pen.groups.sections"
_LINK_KINDS_KEY = "pen.groups.link_kinds"


@dataclass(frozen=True)
class Section:
    """A panel of the group page: a heading, a template and what it needs."""

    title: str
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LinkTarget:
    """A linked object as one member sees it."""

    title: str
    url: str
    visible: bool
    group_id: int | None = None


@dataclass(frozen=True)
class LinkKind:
    """A kind of object work-plan activities may link to."""

    kind: str
    label: str
    resolve: Callable[[object, Collection[int]], dict[int, LinkTarget]]


def register_section(app: Flask, name: str, provider, order: int = 50) -> None:
    """Add a panel to the group page: ``provider(group, user) -> Section | None``."""
    app.extensions.setdefault(_SECTIONS_KEY, {})[name] = (order, provider)


def sections_for(group, user) -> list[Section]:
    """The panels ``user`` sees on the group page, in order."""
    providers = sorted(current_app.extensions.get(_SECTIONS_KEY, {}).items(),
                       key=lambda item: (item[1][0], item[0]))
    found = (provider(group, user) for _name, (_order, provider) in providers)
    return [section for section in found if section is not None]


def register_link_kind(app: Flask, kind: str, resolver, label: str | None = None) -> None:
    """Let activities and meetings link to objects of ``kind`` ("topic", "document")."""
    app.extensions.setdefault(_LINK_KINDS_KEY, {})[kind] = LinkKind(kind, label or kind, resolver)


def link_kinds() -> dict[str, LinkKind]:
    """The registered kinds, by name."""
    return dict(current_app.extensions.get(_LINK_KINDS_KEY, {}))


def resolve(user, kind: str, ids: Collection[int]) -> dict[int, LinkTarget]:
    """``{id: LinkTarget}`` for the ids of ``kind`` that exist (empty for unknown kinds)."""
    known = link_kinds().get(kind)
    if known is None or not ids:
        return {}
    return known.resolve(user, list(ids))


def resolve_visible(user, pairs: Collection[tuple[str, int]]) -> dict[tuple[str, int], LinkTarget]:
    """The visible targets among ``(kind, id)`` pairs, one resolver call per kind."""
    by_kind: dict[str, set[int]] = {}
    for kind, target_id in pairs:
        by_kind.setdefault(kind, set()).add(target_id)
    found = {}
    for kind, ids in by_kind.items():
        for target_id, target in resolve(user, kind, ids).items():
            if target.visible:
                found[(kind, target_id)] = target
    return found
