"""Stored HTML rendered again from its Markdown source: ``flask --app pen markup rerender``.

User text becomes HTML once, when it is written (``markup.render``), and the HTML is kept
beside its source. When the renderer changes (images made lazy, a tag allowed or
stripped), the areas' stored HTML is brought up to date by this command. Areas register
what they store with ``register_stored(app, name, model, source, html, render)``; the
command renders each row's ``source`` with ``render`` (``markup.render`` unless the area
adds something, such as the forums' mentions) and writes ``html`` where it changed.
"""

from collections.abc import Callable
from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from . import markup
from .extensions import db

_KEY = "pen.rerender.stored"
BATCH = 500

markup_cli = AppGroup("markup", help="Stored HTML of members' Markdown.")


@dataclass(frozen=True)
class Stored:
    """A model column of Markdown and the column holding its rendered HTML."""

    name: str
    model: type
    source: str
    html: str
    render: Callable[[str], str] = markup.render


def register_stored(app: Flask, name: str, model: type, source: str, html: str,
                    render: Callable[[str], str] | None = None) -> None:
    """Let the command render ``model.source`` into ``model.html`` again."""
    stored = Stored(name, model, source, html, render or markup.render)
    app.extensions.setdefault(_KEY, {})[name] = stored


def registered() -> dict[str, Stored]:
    """What the areas registered, by name."""
    return dict(current_app.extensions.get(_KEY, {}))


def rerender(stored: Stored) -> tuple[int, int]:
    """Render every row of ``stored`` again, a batch per transaction: (rows, changed)."""
    rows = changed = 0
    key = _key(stored.model)
    last_id = None
    while batch := _batch(stored.model, key, last_id):
        for row in batch:
            html = stored.render(getattr(row, stored.source) or "")
            if html != getattr(row, stored.html):
                setattr(row, stored.html, html)
                changed += 1
        rows, last_id = rows + len(batch), getattr(batch[-1], key.key)
        db.session.commit()
    return rows, changed


def _key(model: type):
    """The (single) primary key column of ``model``, the order rows are read in."""
    return model.__mapper__.primary_key[0]


def _batch(model: type, key, after) -> list:
    """The next ``BATCH`` rows of ``model`` after the key ``after`` (None: the first)."""
    query = select(model).order_by(key).limit(BATCH)
    return list(db.session.scalars(query if after is None else query.where(key > after)))


@markup_cli.command("rerender")
@click.option("--only", "names", multiple=True,
              help="Only this kind of text (repeat for several); the default is every kind.")
def rerender_command(names: tuple[str, ...]) -> None:
    """Render stored Markdown to HTML again with the current renderer."""
    known = registered()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} (known: {', '.join(sorted(known))})",
                                 param_hint="--only")
    for name in names or sorted(known):
        rows, changed = rerender(known[name])
        click.echo(f"{name}: {rows} read, {changed} rendered again")


def register(app: Flask) -> None:
    """Add ``markup rerender`` to ``flask --app pen``."""
    app.cli.add_command(markup_cli)
