"""Who may open and change library documents: the named predicates.

The visibility of a work (and of every edition and version of it) is declared
once, below, as the ``pen.visibility`` rule ``WORK_RULE``; a document (an
edition) is seen with its work (``DOCUMENT_RULE``). Both are registered on the
app ("library_work", "library_document") and pages, downloads, search, feeds,
notifications, group shelves and work-plan links ask the registered rule. A work
is open to the whole network, to one thematic group (its members), or to the
administrators alone; administrators, recognised by ``auth.is_admin``, open
every work.
"""

from .. import visibility
from ..auth.permissions import is_admin, is_member, register_predicate
from ..groups.permissions import can_see_group_content, member_group_ids
from ..visibility import AllOf, AnyOf, In, Is, Rule, UserIs, Via
from .models import ACCESS_ADMINS, ACCESS_GROUP, ACCESS_NETWORK, Document, Work

WORK_KIND, DOCUMENT_KIND = "library_work", "library_document"

WORK_RULE = Rule(
    WORK_KIND, Work,
    UserIs("member", is_member),
    AnyOf(Is("network", Work.access, ACCESS_NETWORK),
          UserIs("admin", is_admin),  # administrators see every work, "admins only" too
          AllOf(Is("shared", Work.access, ACCESS_GROUP),
                In("group", Work.group_id, member_group_ids))),
)

DOCUMENT_RULE = Rule(DOCUMENT_KIND, Document, Via(Document.work, WORK_RULE))


def register_rules(app) -> None:
    """Register the library's visibility rules on ``app``."""
    visibility.register_rule(app, WORK_KIND, WORK_RULE)
    visibility.register_rule(app, DOCUMENT_KIND, DOCUMENT_RULE)


def can_view_work(user, work) -> bool:
    """Whether ``user`` may open ``work`` and everything in it: the registered rule."""
    return visibility.rule_for(WORK_KIND).can(user, work)


def can_view_document(user, document) -> bool:
    """Whether ``user`` may open a document (an edition): the registered rule."""
    return visibility.rule_for(DOCUMENT_KIND).can(user, document)


def visible_work_clause(user):
    """The registered work rule as a SQL condition on ``Work``."""
    return visibility.rule_for(WORK_KIND).clause(user)


def can_upload(user) -> bool:
    """Every member may share a document."""
    return is_member(user)


def can_choose_access(user, access: str, group_id: int | None) -> bool:
    """Members share with the network or a group of theirs; administrators also with admins."""
    if not is_member(user):
        return False
    if access == ACCESS_NETWORK:
        return True
    if access == ACCESS_GROUP:
        return group_id is not None and can_see_group_content(user, group_id)
    return access == ACCESS_ADMINS and is_admin(user)


def can_edit_document(user, document) -> bool:
    """The member who shared the work, and administrators, edit it and add editions."""
    if not can_view_document(user, document):
        return False
    return is_admin(user) or (document.work.created_by_id is not None
                              and document.work.created_by_id == user.id)


def can_add_version(user, document) -> bool:
    """Whoever may edit an edition, or uploaded it, adds a new version of its file."""
    return can_edit_document(user, document) or (
        can_view_document(user, document) and document.uploaded_by_id == user.id)


def can_export_mailing_list(user) -> bool:
    """The magazine's mailing lists hold postal addresses: administrators only."""
    return is_admin(user)


PREDICATES = {
    "export_mailing_list": can_export_mailing_list,
    "view_document": can_view_document,
    "upload_document": can_upload,
    "edit_document": can_edit_document,
    "add_document_version": can_add_version,
}


def register_predicates(app) -> None:
    """Expose the predicates to templates as ``can.view_document(doc)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(app, name, predicate)
