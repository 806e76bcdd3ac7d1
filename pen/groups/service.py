"""Groups themselves: creating, describing and listing them (membership is in membership.py).

Plain functions on plain values: they check permissions, validate, audit and
commit; views, commands, the demo and the benchmark all go through here.
"""

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from .. import audit, files, markup, search
from ..auth.models import User, UserStatus
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..members import photos
from . import notices, permissions
from .models import COORDINATOR, JOIN_POLICIES, LISTED, VISIBILITIES, Group, GroupMembership
from .permissions import GROUP_KIND

PICTURE_AREA = "groups"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME_MAX, SLUG_MAX, DESCRIPTION_MAX = 160, 80, 20_000


@dataclass
class GroupFields:
    """What an administrator or coordinator sets on a group."""

    name: str
    slug: str
    description: str = ""
    visibility: str = LISTED
    join_policy: str = "request"


def slugify(name: str) -> str:
    """A slug proposal from a name: lower case ASCII words joined by hyphens."""
    ascii_name = name.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:SLUG_MAX]


def validate_fields(fields: GroupFields, current: Group | None = None) -> None:
    """Raise a ValidationError naming the first field that is wrong."""
    if not 3 <= len(fields.name.strip()) <= NAME_MAX:
        raise ValidationError(_("A name has 3 to %(max)d characters.", max=NAME_MAX), "name")
    if not SLUG_RE.match(fields.slug) or len(fields.slug) > SLUG_MAX:
        raise ValidationError(_("Use lower-case letters, digits and hyphens only."), "slug")
    taken = db.session.scalar(select(Group.id).where(Group.slug == fields.slug))
    if taken is not None and (current is None or taken != current.id):
        raise ValidationError(_("This address is already taken by another group."), "slug")
    if fields.visibility not in VISIBILITIES:
        raise ValidationError(_("Choose one of the options."), "visibility")
    if fields.join_policy not in JOIN_POLICIES:
        raise ValidationError(_("Choose one of the options."), "join_policy")
    if len(fields.description) > DESCRIPTION_MAX:
        raise ValidationError(_("The description is too long."), "description")


def _apply(group: Group, fields: GroupFields) -> None:
    group.name, group.slug = fields.name.strip(), fields.slug
    group.description = fields.description
    group.description_html = markup.render(fields.description)
    group.visibility, group.join_policy = fields.visibility, fields.join_policy


def create_group(actor, fields: GroupFields, coordinators: list[User]) -> Group:
    """Create a group with its first coordinators (administrators only)."""
    if not permissions.can_create_group(actor):
        raise Forbidden(_("Only administrators create groups."))
    validate_fields(fields)
    if not coordinators:
        raise ValidationError(_("Appoint at least one coordinator."), "coordinators")
    group = Group(created_by_id=actor.id)
    _apply(group, fields)
    db.session.add(group)
    db.session.flush()
    for user in coordinators:
        db.session.add(GroupMembership(group_id=group.id, user_id=user.id, role=COORDINATOR))
    search.enqueue(GROUP_KIND, group.id)
    audit.record(actor, "group.create", group, slug=group.slug,
                 coordinators=[u.id for u in coordinators])
    notices.appointed(actor, group, coordinators)
    db.session.commit()
    permissions.forget_memberships()
    return group


def update_group(actor, group: Group, fields: GroupFields) -> Group:
    """Change a group's name, address, description, visibility or join policy."""
    if not permissions.can_manage_group(actor, group):
        raise Forbidden(_("Only the group's coordinators may change it."))
    validate_fields(fields, group)
    before = {"slug": group.slug, "visibility": group.visibility, "policy": group.join_policy}
    _apply(group, fields)
    search.enqueue(GROUP_KIND, group.id)
    audit.record(actor, "group.update", group, before=before)
    db.session.commit()
    return group


def set_picture(actor, group: Group, data: bytes) -> None:
    """Replace the group's picture with a checked, resized, metadata-free JPEG."""
    if not permissions.can_manage_group(actor, group):
        raise Forbidden(_("Only the group's coordinators may change it."))
    max_bytes = int(current_app.config["PHOTO_MAX_MB"]) * 2**20
    try:
        processed = photos.process(data, max_bytes)
    except ValidationError as error:
        raise ValidationError(error.message, "picture") from None
    old, group.picture = group.picture, files.store_bytes(PICTURE_AREA, processed, ".jpg")
    audit.record(actor, "group.picture", group)
    db.session.commit()
    files.delete(PICTURE_AREA, old)


def get_by_slug(slug: str) -> Group | None:
    """The group at this address, or None."""
    return db.session.scalar(select(Group).where(Group.slug == slug))


def get_visible_or_404(user, slug: str) -> Group:
    """The group, or NotFound when there is none or ``user`` may not see it."""
    group = get_by_slug(slug)
    if group is None or not permissions.can_view_group(user, group):
        raise NotFound()
    return group


def list_query(user, mine: bool = False, q: str = ""):
    """Groups ``user`` sees (listed ones, theirs; every one for admins), by name."""
    query = select(Group).order_by(Group.name, Group.id)
    if mine:
        query = query.where(Group.id.in_(sorted(permissions.member_group_ids(user))))
    else:  # listed groups, and those whose content the user sees
        query = query.where(permissions.group_clause(user))
    if q:
        query = query.where(Group.name.ilike(f"%{q.strip()[:100]}%"))
    return query


def member_counts(group_ids: list[int]) -> dict[int, int]:
    """How many members each group has (one query)."""
    if not group_ids:
        return {}
    rows = db.session.execute(
        select(GroupMembership.group_id, func.count()).where(
            GroupMembership.group_id.in_(group_ids)).group_by(GroupMembership.group_id))
    return dict(rows.all())


def memberships(group: Group) -> list[GroupMembership]:
    """The group's active members, coordinators first, then by name."""
    query = (select(GroupMembership).join(GroupMembership.user)
             .where(GroupMembership.group_id == group.id, User.status == UserStatus.ACTIVE)
             .order_by(GroupMembership.role != COORDINATOR, User.display_name))
    return list(db.session.scalars(query))


def public_groups_of(viewer, user_id: int) -> list[Group]:
    """The groups of a member that ``viewer`` may see (for their profile)."""
    query = (select(Group).join(GroupMembership, GroupMembership.group_id == Group.id)
             .where(GroupMembership.user_id == user_id).order_by(Group.name))
    return [g for g in db.session.scalars(query) if permissions.can_view_group(viewer, g)]


def find_member(text: str) -> User:
    """An active member named by email or exact display name (any case)."""
    text = text.strip()
    found = list(db.session.scalars(select(User).where(
        User.status == UserStatus.ACTIVE,
        or_(func.lower(User.email) == text.lower(),
            func.lower(User.display_name) == text.lower())).limit(2)))
    if not found:
        raise ValidationError(_("No active member has this name or email."), "member")
    if len(found) > 1:
        raise ValidationError(_("Several members have this name; give their email."), "member")
    return found[0]
