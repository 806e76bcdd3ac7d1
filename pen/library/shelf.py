"""What the library adds to a thematic group: its shelf, and documents as work-plan links."""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..groups import LinkTarget, Section
from ..groups.permissions import can_see_group_content
from . import permissions
from .models import ACCESS_GROUP, Document, Work

SHELF_SIZE = 8


def group_section(group, user) -> Section | None:
    """The newest documents shared with the group, shown to those who see its content
    (and filtered by the registered work rule, so the shelf can never show more)."""
    if not can_see_group_content(user, group.id):
        return None
    documents = list(db.session.scalars(
        select(Document).join(Work, Document.work_id == Work.id)
        .where(permissions.visible_work_clause(user),
               Work.access == ACCESS_GROUP, Work.group_id == group.id)
        .order_by(Document.created_at.desc(), Document.id.desc()).limit(SHELF_SIZE)))
    return Section(title=_("Documents"), template="library/_shelf.html",
                   context={"documents": documents, "group_id": group.id})


def resolve_links(user, ids) -> dict[int, LinkTarget]:
    """Work-plan and minutes links to documents: titles only for those who may open them."""
    found = db.session.scalars(select(Document).where(Document.id.in_(list(ids))))
    out = {}
    for document in found:
        visible = permissions.can_view_document(user, document)
        work = document.work
        out[document.id] = LinkTarget(
            title=document.title if visible else _("A document you cannot open"),
            url=url_for("library.document", document_id=document.id) if visible else "",
            visible=visible, group_id=work.group_id if work.access == ACCESS_GROUP else None)
    return out
