"""The library's document picker: the documents a member may open whose title holds the
words typed (or whose number was typed), for forms of other areas (meeting minutes,
event materials) through ``groups.pickers``.

The registered document rule filters the query itself: a document the member may not
open is never read, so neither its title nor its existence can come out of a search.
"""

from collections.abc import Collection

from sqlalchemy import and_, or_, select

from .. import visibility
from ..extensions import db
from ..groups.pickers import Choice, Picker
from .models import ACCESS_GROUP, Document, Work
from .permissions import DOCUMENT_KIND
from .vocabulary import language_name

MAX_WORDS = 8


def _like(word: str):
    """The title holds ``word`` (``%`` and ``_`` taken literally)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Document.title.ilike(f"%{escaped}%", escape="\\")


def _matching(words: str):
    """Every word in the title; or, for a number alone ("12", "#12"), that document."""
    parts = words.replace("#", " ").split()[:MAX_WORDS]
    titled = and_(*(_like(word) for word in parts))
    if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) < 10:
        return or_(Document.id == int(parts[0]), titled)
    return titled


def _choice(document: Document) -> Choice:
    return Choice(document.id, document.title, language_name(document.language),
                  document.created_at.date().isoformat())


def search(user, words: str, group_id: int | None = None, limit: int = 10) -> list[Choice]:
    """Up to ``limit`` documents ``user`` may open matching ``words``, newest first; with
    ``group_id``, only those of that group or not of a group (what its minutes may be)."""
    words = " ".join(words.split())[:200]
    if not words:
        return []
    query = (select(Document).join(Work, Document.work_id == Work.id)
             .where(visibility.rule_for(DOCUMENT_KIND).clause(user), _matching(words)))
    if group_id is not None:
        query = query.where(or_(Work.access != ACCESS_GROUP, Work.group_id == group_id))
    query = query.order_by(Document.created_at.desc(), Document.id.desc()).limit(limit)
    return [_choice(d) for d in db.session.scalars(query)]


def describe(user, ids: Collection[int]) -> dict[int, Choice]:
    """The chosen ids ``user`` may open, labelled; the others are left out."""
    query = (select(Document).join(Work, Document.work_id == Work.id)
             .where(Document.id.in_(list(ids)),
                    visibility.rule_for(DOCUMENT_KIND).clause(user)))
    return {d.id: _choice(d) for d in db.session.scalars(query)}


PICKER = Picker("document", search, describe, "library.pick")
