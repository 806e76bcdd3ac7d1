"""The library's part of the activity feed: new editions and new versions a member may see.

Registered with ``pen.activity``; filtered by the registered "library_work" rule
(narrowed to the member's groups under "my groups").
"""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import Integer, cast, exists, select, text
from sqlalchemy.orm import aliased

from .. import activity
from ..groups.permissions import member_group_ids
from ..visibility import rule_for
from . import permissions
from .models import Document, Version, Work


def _work_clause(user, query: activity.Query):
    """The registered work rule, narrowed to the member's groups for "mine"."""
    clause = rule_for(permissions.WORK_KIND).clause(user)
    if query.scope == "mine":
        clause &= Work.group_id.in_(sorted(member_group_ids(user)))
    return clause


def _documents(user, query: activity.Query) -> activity.Branch:
    """New editions of works the member sees; ``number`` says 1 when the work had one."""
    earlier = aliased(Document)
    is_edition = exists().where(earlier.work_id == Document.work_id, earlier.id < Document.id)
    return activity.Branch(
        select(*activity.row(DOCUMENTS, Document.created_at, Document.id, Document.title,
                             Work.group_id, Document.uploaded_by_id, Document.id,
                             cast(is_edition, Integer)))
        .join(Work, Work.id == Document.work_id).where(_work_clause(user, query)),
        Document.created_at, Document.id)


def _versions(user, query: activity.Query) -> activity.Branch:
    """New versions (beyond the first) of the files of editions the member sees.

    ``number > 1`` is written as the partial index ``ix_library_versions_later`` states
    it (a literal, not a parameter), so both databases walk that small index.
    """
    return activity.Branch(
        select(*activity.row(VERSIONS, Version.created_at, Version.id, Document.title,
                             Work.group_id, Version.uploaded_by_id, Document.id,
                             Version.number))
        .select_from(Version)
        .join(Document, Document.id == Version.document_id)
        .join(Work, Work.id == Document.work_id)
        .where(_work_clause(user, query), text("library_versions.number > 1")),
        Version.created_at, Version.id)


def _parts(item) -> tuple[dict, str]:
    """Who, and the document's link, for a library line; the document's URL."""
    url = url_for("library.document", document_id=item.ref)
    return {"member": activity.someone(item), "document": activity.link(url, item.title)}, url


def _describe_document(item, group) -> tuple[Markup, str]:
    """A new document, or a new edition (language) of one."""
    parts, url = _parts(item)
    if item.number:
        sentence = (_("%(member)s added the edition %(document)s") if group is None else
                    _("%(member)s added the edition %(document)s in the group %(group)s"))
    else:
        sentence = (_("%(member)s shared the document %(document)s") if group is None else
                    _("%(member)s shared the document %(document)s in the group %(group)s"))
    return activity.fill(sentence, group=group, **parts), url


def _describe_version(item, group) -> tuple[Markup, str]:
    """A new version of an edition's file."""
    parts, url = _parts(item)
    sentence = (_("%(member)s uploaded version %(number)d of %(document)s") if group is None
                else _("%(member)s uploaded version %(number)d of %(document)s in the group "
                       "%(group)s"))
    return activity.fill(sentence, group=group, number=item.number, **parts), url


DOCUMENTS = activity.Source("document", "library", 2, _documents, _describe_document)
VERSIONS = activity.Source("version", "library", 3, _versions, _describe_version)


def register(app) -> None:
    """Add the library's sources to the feed."""
    activity.register_source(app, DOCUMENTS)
    activity.register_source(app, VERSIONS)
