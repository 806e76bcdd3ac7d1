"""Who may open and change library documents: the named predicates.

``can_view_document`` is THE visibility rule of a document (every edition and
version of a work shares it), used by pages, downloads, search, group shelves
and work-plan links; ``visible_work_clause`` is the same rule as SQL.
A work is open to the whole network, to one thematic group (its members and
the administrators, as ``groups.can_see_group_content`` says), or to the
administrators alone.
"""

from sqlalchemy import false, or_, true

from ..auth.permissions import is_admin, is_member, register_predicate
from ..groups.permissions import can_see_group_content, member_group_ids, sees_all_groups
from .models import ACCESS_ADMINS, ACCESS_GROUP, ACCESS_NETWORK, Work


def can_view_work(user, work) -> bool:
    """The one visibility rule of a work and everything in it."""
    if not is_member(user):
        return False
    if work.access == ACCESS_NETWORK or is_admin(user):  # administrators see every work
        return True
    if work.access == ACCESS_GROUP:
        return work.group_id is not None and can_see_group_content(user, work.group_id)
    return False


def can_view_document(user, document) -> bool:
    """A document (edition) is seen with its work."""
    return can_view_work(user, document.work)


def visible_work_clause(user):
    """``can_view_work`` as a SQL condition on ``Work``."""
    if not is_member(user):
        return false()
    if sees_all_groups(user):  # administrators see every work
        return true()
    groups = sorted(member_group_ids(user))
    return or_(Work.access == ACCESS_NETWORK,
               (Work.access == ACCESS_GROUP) & Work.group_id.in_(groups))


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


PREDICATES = {
    "view_document": can_view_document,
    "upload_document": can_upload,
    "edit_document": can_edit_document,
    "add_document_version": can_add_version,
}


def register_predicates() -> None:
    """Expose the predicates to templates as ``can.view_document(doc)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(name, predicate)
