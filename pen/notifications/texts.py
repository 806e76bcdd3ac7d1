"""Sentences stored untranslated and written in the reader's language when shown.

A notification is read days later, perhaps after its reader switched language, and
by email in yet another context; so a sentence of ours ("Ana asks to join the
Inventories group") is stored as its catalogue entry and values, and translated
each time it is shown. Member text (a topic's title) is stored as it is.
"""

import json
from dataclasses import dataclass, field

from flask_babel import gettext

# Starts a stored sentence; forms strip control characters, so member text never does.
MARK = "\x1f"


@dataclass(frozen=True)
class Sentence:
    """A catalogue entry and its values, translated when turned into text."""

    msgid: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return gettext(self.msgid, **self.params)


def sentence(msgid: str, **params) -> Sentence:
    """``sentence("%(name)s joined %(group)s", name=…, group=…)`` (extracted for translation)."""
    return Sentence(msgid, params)


def store(value, limit: int | None = None) -> str:
    """What to keep in the database: a sentence packed with its values, else the text.

    A sentence whose values would not fit ``limit`` is kept translated (in the
    current language) and cut, rather than packed and broken.
    """
    if isinstance(value, Sentence):
        packed = MARK + json.dumps([value.msgid, value.params], ensure_ascii=False)
        if limit is None or len(packed) <= limit:
            return packed
    text = str(value or "")
    return text[:limit] if limit else text


def show(stored: str | None) -> str:
    """The stored text in the reader's language."""
    if not stored or not stored.startswith(MARK):
        return stored or ""
    try:
        msgid, params = json.loads(stored[len(MARK):])
        return gettext(msgid, **params)
    except (ValueError, TypeError, KeyError):
        return stored[len(MARK):]
