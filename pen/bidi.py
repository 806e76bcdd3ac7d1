"""Text direction: which languages read right to left, and marks for plain text.

A plain-text mail client sets each line's direction from its first strong character,
so in an Arabic message a line that starts with a name or an address in Latin letters
would be laid out left to right. ``mark_lines`` puts a RIGHT-TO-LEFT MARK (U+200F)
before such lines, and ``mark`` before such a subject, when the text is written in a
right-to-left language. HTML mail says ``dir="rtl"`` itself (its templates).
"""

import unicodedata

RIGHT_TO_LEFT = frozenset({"ar"})
RLM = "\u200f"


def is_right_to_left(locale) -> bool:
    """Whether ``locale`` (``ar``, ``ar_EG``, a babel Locale) is written right to left."""
    return str(locale or "").split("_")[0] in RIGHT_TO_LEFT


def first_strong(text: str) -> str | None:
    """``ltr`` or ``rtl``: the direction of the first letter with one, else None."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def mark(line: str) -> str:
    """``line`` with a right-to-left mark first if it would otherwise read left to right."""
    return RLM + line if first_strong(line) == "ltr" and not line.startswith(RLM) else line


def mark_lines(text: str) -> str:
    """Every line of ``text`` marked as ``mark`` does (line ends kept)."""
    return "".join(mark(line) for line in text.splitlines(keepends=True))
