"""What an area registers to be importable on the web, and what its functions return.

The import machinery is core and knows no area: the members and the library
register a ``Kind`` on the app (``register_kind``) with the functions that check
a file, preview it and import it. The command-line imports call the same functions.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

_KINDS_KEY = "pen.import_kinds"
PREVIEW_ROWS = 20


@dataclass
class Line:
    """One line of a report: its number in the file, what it names, the outcome, why."""

    line: int
    item: str
    outcome: str
    detail: str = ""


@dataclass
class Preview:
    """What the administrator sees before confirming.

    ``columns`` pairs each header of the file with what it is understood as (None:
    ignored); ``rows`` holds the first lines as read; ``problems`` every line that
    would be refused or changed from what it says, with the reason.
    """

    columns: list[tuple[str, str | None]] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[Line] = field(default_factory=list)
    total: int = 0


@dataclass
class Kind:
    """An importable kind of file.

    ``check(path)`` refuses a file that cannot be imported at all (``Refused``) and
    returns its number of lines; ``preview(path)`` returns a ``Preview``;
    ``run(path, options, actor_id, progress)`` imports inside the caller's transaction
    (the caller commits or rolls back) and returns the report's lines, calling
    ``progress(1)`` after each; ``permitted(user)`` says who may import.
    """

    name: str
    label: str
    suffix: str
    check: Callable[[Path], int]
    preview: Callable[[Path], Preview]
    run: Callable[..., list[Line]]
    permitted: Callable[[object], bool]
    outcomes: tuple[str, ...] = ()


def register_kind(app: Flask, kind: Kind) -> None:
    """Make ``kind`` importable on the web."""
    app.extensions.setdefault(_KINDS_KEY, {})[kind.name] = kind


def kind_for(name: str) -> Kind | None:
    """The registered kind of this name, or None."""
    return current_app.extensions.get(_KINDS_KEY, {}).get(name)


def all_kinds() -> list[Kind]:
    """Every registered kind, in the order of registration."""
    return list(current_app.extensions.get(_KINDS_KEY, {}).values())
