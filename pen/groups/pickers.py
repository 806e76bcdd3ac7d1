"""Pickers: a form field that chooses objects of another area by searching for them.

Meeting minutes and event materials are library documents, stored by id. Groups may
not import the library, so the library registers a ``Picker`` for its kind
("document"): ``search(user, words, group_id, limit)`` lists what ``user`` may open
that matches the words (filtered by the area's visibility rule, in SQL), and
``describe(user, ids)`` labels the ids ``user`` may open; ``endpoint`` answers the same
search as JSON for the page's script (``static/js/picker.js``).

Without JavaScript, the form's "Search" button posts the form: the view sees
``searching(name)``, saves nothing, and renders the form again with what was typed and
the matching documents to choose from (``macros/picker.html``). The service checks the
chosen ids as before; this module only shows them.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass

from flask import Flask, current_app, request, url_for

_PICKERS_KEY = "pen.groups.pickers"
LIMIT = 10


@dataclass(frozen=True)
class Choice:
    """One object as a picker shows it: a title, its language and date (ISO)."""

    id: int
    title: str
    language: str = ""
    date: str = ""

    def as_json(self) -> dict:
        """The suggestion the page's script shows."""
        return {"id": self.id, "title": self.title, "language": self.language,
                "date": self.date}


@dataclass(frozen=True)
class Picker:
    """How forms pick objects of ``kind``."""

    kind: str
    search: Callable[[object, str, int | None, int], list[Choice]]
    describe: Callable[[object, Collection[int]], dict[int, Choice]]
    endpoint: str


def register_picker(app: Flask, picker: Picker) -> None:
    """Let forms pick objects of ``picker.kind`` by searching."""
    app.extensions.setdefault(_PICKERS_KEY, {})[picker.kind] = picker


def picker_for(kind: str) -> Picker | None:
    """The registered picker of ``kind``, if any."""
    return current_app.extensions.get(_PICKERS_KEY, {}).get(kind)


@dataclass
class Field:
    """What the picker macro draws: the ids chosen (labelled when ``user`` may open
    them), the words searched and what they found (None: no search was asked)."""

    name: str
    multiple: bool
    chosen: list[Choice]
    words: str
    found: list[Choice] | None
    suggest_url: str


def searching(name: str) -> bool:
    """Whether this post is the picker's "Search" button (nothing is saved)."""
    return request.method == "POST" and f"{name}-search" in request.form


def field(user, kind: str, name: str, ids: list[int], multiple: bool = False,
          group_id: int | None = None) -> Field:
    """The picker ``name`` for ``user``, ``ids`` being chosen (the stored or posted ones)."""
    picker = picker_for(kind)
    words = request.form.get(f"{name}-q", "").strip() if request.method == "POST" else ""
    if picker is None:
        return Field(name, multiple, [Choice(i, f"#{i}") for i in ids], words, None, "")
    known = picker.describe(user, ids) if ids else {}
    chosen = [known.get(i) or Choice(i, f"#{i}") for i in dict.fromkeys(ids)]
    found = None
    if searching(name):
        found = [c for c in picker.search(user, words, group_id, LIMIT) if c.id not in known]
    args = {"group": group_id} if group_id else {}
    return Field(name, multiple, chosen, words, found, url_for(picker.endpoint, **args))


def posted_ids(name: str) -> list[int]:
    """The ids posted under ``name`` (what is not a number is left out)."""
    return [int(v) for v in request.form.getlist(name) if v.strip().isdigit()]
