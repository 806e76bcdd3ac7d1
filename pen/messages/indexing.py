"""Messages in the search engine: the "message" adapter of ``pen.search``.

A document is a message with its conversation's subject. Who may find it is the
registered "message" rule in its index form: the acl is ``rule.acl(message)``
(one term per present participant), a search keeps documents whose acl meets
``rule.terms(user)``, and the hits are checked again with the rule's clause. A
participant who leaves, or joins, changes the acl of every message of the
conversation: ``service`` puts them all through the index again.
"""

from collections.abc import Collection, Iterable

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from .. import search, visibility
from ..extensions import db
from .models import Conversation, Message
from .permissions import MESSAGE_KIND

BATCH = 500


def reader_text(body_html: str | None) -> str:
    """A message's words as the page shows them, without tags."""
    return Markup(body_html or "").striptags()  # noqa: S704 - text taken out, never printed


class MessageAdapter(search.Adapter):
    """Private messages by subject and text, found by their participants only."""

    kind = MESSAGE_KIND
    label = _l("Messages")
    search_endpoint = "messages.search_page"
    text_fields = {"subject": 2.0, "body": 1.0}
    keyword_fields = ("conversation",)
    sortable = {"date": "date"}

    @property
    def acl_scheme(self) -> str:
        """The message rule's shape: the index is rebuilt when the rule changes."""
        return visibility.rule_signature(MESSAGE_KIND)

    def documents(self, ids: Collection[int] | None = None) -> Iterable[search.Document]:
        """Messages with their conversations, in batches."""
        query = select(Message).order_by(Message.id).execution_options(yield_per=BATCH)
        if ids is not None:
            query = query.where(Message.id.in_(list(ids)))
        rule = visibility.rule_for(MESSAGE_KIND)
        for message in db.session.scalars(query):
            yield search.Document(id=message.id, acl=rule.acl(message), values={
                "subject": message.conversation.subject,
                "body": reader_text(message.body_html),
                "conversation": str(message.conversation_id),
                "date": message.created_at,
            })

    def ids(self) -> Iterable[int]:
        """Every message is indexed."""
        return db.session.scalars(select(Message.id))

    def visibility_terms(self, user) -> set[str]:
        """The user's terms under the registered message rule."""
        return visibility.rule_for(MESSAGE_KIND).terms(user)

    def is_visible(self, user, ids: Collection[int]) -> set[int]:
        """The database's answer, by the registered message rule."""
        return visibility.rule_for(MESSAGE_KIND).visible_ids(user, ids)

    def present(self, hits) -> list[dict]:
        """Subject, link and snippet of each hit (one query)."""
        ids = [hit.id for hit in hits]
        found = {m.id: m for m in db.session.scalars(
            select(Message).join(Conversation).where(Message.id.in_(ids)))} if ids else {}
        return [{"title": m.conversation.subject,
                 "url": url_for("messages.message_link", message_id=m.id),
                 "summary": f"{_name(m.author)} · {m.created_at:%Y-%m-%d}",
                 "snippet": hit.snippet} for hit in hits if (m := found.get(hit.id))]


def _name(author) -> str:
    """The author's name, blank for a former member."""
    return author.display_name if author else ""
