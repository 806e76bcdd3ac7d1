"""A member's recent documents on their profile, through the registered document rule
for the one looking."""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import visibility
from ..extensions import db
from .models import Document
from .permissions import DOCUMENT_KIND

RECENT = 5


def recent_documents(viewer, profile):
    """("Recent documents", [(title, link)]) the viewer may open."""
    rows = db.session.execute(select(Document.id, Document.title).where(
        Document.uploaded_by_id == profile.user_id,
        visibility.rule_for(DOCUMENT_KIND).clause(viewer))
        .order_by(Document.created_at.desc(), Document.id.desc()).limit(RECENT)).all()
    return _("Recent documents"), [(title, url_for("library.document", document_id=doc_id))
                                   for doc_id, title in rows]


def register(app) -> None:
    """Add the panel to every profile page."""
    from ..members.views import register_profile_section

    register_profile_section(app, recent_documents)
