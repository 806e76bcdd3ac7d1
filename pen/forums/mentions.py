"""``@name`` mentions: found in the Markdown source, linked to profiles, notified.

A member is mentioned by their name without spaces, or with dots or
underscores between the words, in any case and with or without accents:
``@NguyenThiLan``, ``@nguyen.thi.lan``, ``@Moussa_Ouedraogo``. Text in code
spans and code blocks, and quoted lines (``> …``), is left alone.
"""

import re

from sqlalchemy import select

from ..auth.models import User, UserStatus
from ..extensions import db
from ..search.analysis import fold

MENTION = re.compile(r"(?<![\w@/.])@(\w[\w.\-]{0,80}\w|\w)")
# Code, and quoted lines: a quotation repeats someone's mentions without making them again.
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`|^[ ]{0,3}>[^\n]*)", re.DOTALL | re.MULTILINE)
MAX_MENTIONS = 20


def key(name: str) -> str:
    """The form names and handles are compared in: folded, letters and digits only."""
    return re.sub(r"[\W_]+", "", fold(name))


def _outside_code(text: str):
    """(is_code, part) pieces of ``text``."""
    for i, part in enumerate(CODE.split(text)):
        yield i % 2 == 1, part


def handles(text: str) -> set[str]:
    """The keys of the handles mentioned outside code, at most ``MAX_MENTIONS``."""
    found = set()
    for is_code, part in _outside_code(text or ""):
        if not is_code:
            found.update(key(m) for m in MENTION.findall(part))
    return set(sorted(found)[:MAX_MENTIONS]) - {""}


def handles_in(texts) -> set[str]:
    """The handle keys mentioned in any of these texts (earlier versions of a post)."""
    found: set[str] = set()
    for text in texts:
        found |= handles(text)
    return found


def resolve(text: str) -> dict[str, User]:
    """The active members mentioned in ``text``, by handle key (one query, only if needed)."""
    wanted = handles(text)
    if not wanted:
        return {}
    found = {}
    rows = db.session.execute(select(User.id, User.display_name)
                              .where(User.status == UserStatus.ACTIVE))
    for user_id, name in rows:
        name_key = key(name)
        if name_key in wanted and name_key not in found:
            found[name_key] = user_id
    users = db.session.scalars(select(User).where(User.id.in_(list(found.values()))))
    by_id = {u.id: u for u in users}
    return {k: by_id[i] for k, i in found.items()}


def link(text: str, users: dict[str, User]) -> str:
    """The Markdown with each resolved mention turned into a link to the profile."""
    if not users:
        return text

    def replace(match: re.Match) -> str:
        user = users.get(key(match.group(1)))
        if user is None:
            return match.group(0)
        name = user.display_name.replace("[", "").replace("]", "")
        return f"[@{name}](/members/{user.id})"

    return "".join(part if is_code else MENTION.sub(replace, part)
                   for is_code, part in _outside_code(text))
