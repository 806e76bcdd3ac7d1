"""Pieces of a forum page that repeat with the same content, rendered once per content.

A topic page shows three reaction buttons under each of its 20 posts; most are alike
(nobody reacted yet, or the same names), and drawing each through the template cost a
fifth of the page. ``Remembered`` renders a macro once per distinct key and hands the
same ``Markup`` back for every later call with that key; one lives for one page.
"""

from collections.abc import Callable, Hashable

from flask import get_template_attribute
from markupsafe import Markup


class Remembered:
    """``render(*args)`` remembered by ``key(*args)``, for one page."""

    __slots__ = ("key", "render", "seen")

    def __init__(self, render: Callable[..., Markup], key: Callable[..., Hashable]):
        """Nothing rendered yet."""
        self.render, self.key, self.seen = render, key, {}

    def __call__(self, *args) -> Markup:
        """The fragment for these arguments: rendered the first time, then remembered."""
        key = self.key(*args)
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = self.render(*args)
        return found


def reaction_buttons(labels: dict[str, tuple[str, Markup]]) -> Remembered:
    """A post's button for one kind of reaction (``forums/_reaction_button.html``), by
    what it shows: the kind, whether the reader gave it and who did."""
    button = get_template_attribute("forums/_reaction_button.html", "button")
    return Remembered(lambda tally: button(tally, *labels[tally.kind]),
                      lambda tally: (tally.kind, tally.mine, tuple(tally.names)))
