"""Joining and leaving: join, request, decide, invite, answer, leave, remove, change roles.

Every change is checked here (not only hidden in templates), audited, and
notifies the people it concerns, in one transaction.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..auth.models import User
from ..auth.permissions import is_member
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..types import utcnow
from . import notices, permissions
from .models import (
    ACCEPTED,
    COORDINATOR,
    DECLINED,
    INVITATION,
    LISTED,
    MEMBER,
    OPEN,
    PENDING,
    REQUEST,
    ROLES,
    WITHDRAWN,
    Group,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
)

MESSAGE_MAX = 1000


def _commit() -> None:
    db.session.commit()
    permissions.forget_memberships()


def _add(group: Group, user_id: int, role: str = MEMBER) -> None:
    db.session.add(GroupMembership(group_id=group.id, user_id=user_id, role=role))
    db.session.flush()


def membership_of(group: Group, user_id: int) -> GroupMembership | None:
    """The member's membership row in the group, if any."""
    return db.session.get(GroupMembership, (group.id, user_id))


def _check_can_enter(user, group: Group) -> None:
    """Refuse members who cannot see the group (404) or are in it already."""
    if not permissions.can_view_group(user, group):
        raise NotFound()
    if permissions.is_group_member(user, group.id):
        raise ValidationError(_("You are already a member of this group."))


def join(user, group: Group) -> None:
    """Join an open group with a click."""
    _check_can_enter(user, group)
    if group.join_policy != OPEN:
        raise Forbidden(_("This group is not open: ask to join, or wait for an invitation."))
    _add(group, user.id)
    _close_pending(group, user.id)
    audit.record(user, "group.join", group)
    notices.joined(user, group)
    _commit()


def request_to_join(user, group: Group, message: str = "") -> JoinRequest:
    """Ask the coordinators of a "by request" group to let one in (asking again reopens)."""
    _check_can_enter(user, group)
    if group.join_policy != REQUEST:
        raise Forbidden(_("This group does not take requests."))
    if len(message) > MESSAGE_MAX:
        raise ValidationError(_("A message has at most %(max)d characters.", max=MESSAGE_MAX),
                              "message")
    request = db.session.scalar(select(JoinRequest).where(
        JoinRequest.group_id == group.id, JoinRequest.user_id == user.id))
    if request is not None and request.status == PENDING:
        raise ValidationError(_("Your request is already waiting for the coordinators."))
    if request is None:
        request = JoinRequest(group_id=group.id, user_id=user.id)
        db.session.add(request)
    request.message, request.status, request.created_at = message.strip(), PENDING, utcnow()
    request.decided_at, request.decided_by_id, request.decision_message = None, None, ""
    db.session.flush()
    audit.record(user, "group.request", group, request_id=request.id)
    notices.requested(request)
    _commit()
    return request


def request_for_applicant(actor, user: User, group_ids: list[int], message: str) -> list[str]:
    """An approved applicant's groups become join requests, made for them (not committed:
    the approval commits them with the new account). Only listed groups that take
    members (not by invitation alone) are asked; the names of those asked are returned."""
    groups = db.session.scalars(select(Group).where(
        Group.id.in_(group_ids), Group.visibility == LISTED, Group.join_policy != INVITATION)
        .order_by(Group.name))
    asked = []
    for group in groups:
        request = JoinRequest(group_id=group.id, user_id=user.id, message=message[:MESSAGE_MAX])
        request.group, request.user = group, user
        db.session.add(request)
        db.session.flush()
        audit.record(actor, "group.request", group, request_id=request.id, user_id=user.id)
        notices.requested(request)
        asked.append(group.name)
    return asked


def withdraw_request(user, request: JoinRequest) -> None:
    """The member takes back a pending request."""
    if request.user_id != user.id:
        raise NotFound()
    if request.status != PENDING:
        raise ValidationError(_("This request is no longer pending."))
    request.status, request.decided_at = WITHDRAWN, utcnow()
    audit.record(user, "group.request_withdrawn", request.group, request_id=request.id)
    _commit()


def decide_request(actor, request: JoinRequest, approve: bool, message: str = "") -> None:
    """Coordinators approve or decline a request, with an optional message; never their own."""
    group = request.group
    if not permissions.can_view_group(actor, group):
        raise NotFound()
    if request.user_id == actor.id:
        raise Forbidden(_("Nobody decides on their own request."))
    if not permissions.can_manage_group(actor, group):
        raise Forbidden(_("Only the group's coordinators decide on requests."))
    if request.status != PENDING:
        raise ValidationError(_("This request was already decided or withdrawn."))
    request.status = ACCEPTED if approve else DECLINED
    request.decided_at, request.decided_by_id = utcnow(), actor.id
    request.decision_message = message.strip()[:MESSAGE_MAX]
    if approve and membership_of(group, request.user_id) is None:
        _add(group, request.user_id)
    audit.record(actor, "group.request_approved" if approve else "group.request_declined",
                 group, user_id=request.user_id, request_id=request.id)
    notices.decided(actor, request, approve)
    _commit()


def invite(actor, group: Group, user: User) -> GroupInvitation:
    """Coordinators invite a member by name; the member accepts or declines."""
    if not permissions.can_manage_group(actor, group):
        raise Forbidden(_("Only the group's coordinators invite members."))
    if not is_member(user):
        raise ValidationError(_("Only active members can be invited."), "member")
    if membership_of(group, user.id) is not None:
        raise ValidationError(_("%(name)s is already a member.", name=user.display_name),
                              "member")
    invitation = db.session.scalar(select(GroupInvitation).where(
        GroupInvitation.group_id == group.id, GroupInvitation.user_id == user.id))
    if invitation is not None and invitation.status == PENDING:
        raise ValidationError(_("%(name)s is already invited.", name=user.display_name),
                              "member")
    if invitation is None:
        invitation = GroupInvitation(group_id=group.id, user_id=user.id)
        db.session.add(invitation)
    invitation.status, invitation.invited_by_id = PENDING, actor.id
    invitation.created_at, invitation.decided_at = utcnow(), None
    db.session.flush()
    audit.record(actor, "group.invite", group, user_id=user.id, invitation_id=invitation.id)
    notices.invited(actor, invitation)
    _commit()
    return invitation


def get_invitation_for(user, invitation_id: int) -> GroupInvitation:
    """The member's own invitation, or NotFound (someone else's is not theirs to see)."""
    invitation = db.session.get(GroupInvitation, invitation_id)
    if invitation is None or invitation.user_id != getattr(user, "id", None):
        raise NotFound()
    return invitation


def answer_invitation(user, invitation: GroupInvitation, accept: bool) -> None:
    """The invited member accepts (and joins) or declines."""
    if invitation.user_id != user.id or not is_member(user):
        raise NotFound()
    if invitation.status != PENDING:
        raise ValidationError(_("This invitation is no longer open."))
    invitation.status, invitation.decided_at = (ACCEPTED if accept else DECLINED), utcnow()
    group = invitation.group
    if accept and membership_of(group, user.id) is None:
        _add(group, user.id)
        _close_pending(group, user.id, keep_invitation=True)
    audit.record(user, "group.invitation_accepted" if accept else "group.invitation_declined",
                 group, invitation_id=invitation.id)
    notices.answered(invitation, accept)
    _commit()


def revoke_invitation(actor, invitation: GroupInvitation) -> None:
    """Coordinators take back a pending invitation."""
    group = invitation.group
    if not permissions.can_manage_group(actor, group):
        raise Forbidden(_("Only the group's coordinators manage invitations."))
    if invitation.status != PENDING:
        raise ValidationError(_("This invitation is no longer open."))
    invitation.status, invitation.decided_at = WITHDRAWN, utcnow()
    audit.record(actor, "group.invitation_revoked", group, user_id=invitation.user_id)
    notices.withdrawn(actor, invitation)
    _commit()


def _close_pending(group: Group, user_id: int, keep_invitation: bool = False) -> None:
    """Once in, a member's pending request (and invitation) have nothing left to wait for."""
    models = (JoinRequest,) if keep_invitation else (JoinRequest, GroupInvitation)
    for model in models:
        row = db.session.scalar(select(model).where(
            model.group_id == group.id, model.user_id == user_id, model.status == PENDING))
        if row is not None:
            row.status, row.decided_at = ACCEPTED, utcnow()


def _coordinator_count(group: Group) -> int:
    return db.session.scalar(select(func.count()).select_from(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.role == COORDINATOR)) or 0


def leave(user, group: Group, successor: User | None = None) -> None:
    """Leave a group; the last coordinator names a member to coordinate after them."""
    membership = membership_of(group, user.id)
    if membership is None:
        raise Forbidden(_("You are not a member of this group."))
    if membership.is_coordinator and _coordinator_count(group) == 1:
        _hand_over(user, group, successor)
    db.session.delete(membership)
    audit.record(user, "group.leave", group)
    notices.left(user, group)
    _commit()


def _hand_over(user, group: Group, successor: User | None) -> None:
    """Make ``successor`` coordinator, or refuse: a group always keeps a coordinator."""
    target = membership_of(group, successor.id) if successor is not None else None
    if target is None or successor.id == user.id:
        raise ValidationError(_("You are the last coordinator: name a member of the group "
                                "to coordinate it before you leave."), "successor")
    target.role = COORDINATOR
    audit.record(user, "group.role", group, user_id=successor.id, role=COORDINATOR)
    notices.role_changed(user, group, successor, COORDINATOR)


def check_remove(actor, group: Group, user: User):
    """The membership ``actor`` would remove: Forbidden unless they coordinate the group,
    NotFound if ``user`` is not in it."""
    if not permissions.can_manage_group(actor, group):
        raise Forbidden(_("Only the group's coordinators remove members."))
    membership = membership_of(group, user.id)
    if membership is None:
        raise NotFound()
    return membership


def remove_member(actor, group: Group, user: User) -> None:
    """Coordinators remove a member (another coordinator too, but never the last one)."""
    membership = check_remove(actor, group, user)
    if membership.is_coordinator and _coordinator_count(group) == 1:
        raise ValidationError(_("A group keeps at least one coordinator: appoint another first."))
    db.session.delete(membership)
    audit.record(actor, "group.remove", group, user_id=user.id, role=membership.role)
    notices.removed(actor, group, user)
    _commit()


def set_role(actor, group: Group, user: User, role: str) -> None:
    """Coordinators (and administrators) appoint or step down coordinators."""
    if not permissions.can_manage_group(actor, group):
        raise Forbidden(_("Only the group's coordinators change roles."))
    if role not in ROLES:
        raise ValidationError(_("Choose one of the options."), "role")
    membership = membership_of(group, user.id)
    if membership is None:
        raise NotFound()
    if membership.role == role:
        return
    if membership.is_coordinator and _coordinator_count(group) == 1:
        raise ValidationError(_("A group keeps at least one coordinator: appoint another first."))
    membership.role = role
    audit.record(actor, "group.role", group, user_id=user.id, role=role)
    notices.role_changed(actor, group, user, role)
    _commit()


def pending_requests(group: Group) -> list[JoinRequest]:
    """Requests waiting for the coordinators, oldest first."""
    return list(db.session.scalars(select(JoinRequest).where(
        JoinRequest.group_id == group.id, JoinRequest.status == PENDING)
        .order_by(JoinRequest.created_at)))


def pending_invitations(group: Group) -> list[GroupInvitation]:
    """Invitations not yet answered, oldest first."""
    return list(db.session.scalars(select(GroupInvitation).where(
        GroupInvitation.group_id == group.id, GroupInvitation.status == PENDING)
        .order_by(GroupInvitation.created_at)))


def own_request(user, group: Group) -> JoinRequest | None:
    """The member's latest request to this group, if any."""
    return db.session.scalar(select(JoinRequest).where(
        JoinRequest.group_id == group.id, JoinRequest.user_id == user.id))


def own_invitation(user, group: Group) -> GroupInvitation | None:
    """The member's pending invitation to this group, if any."""
    return db.session.scalar(select(GroupInvitation).where(
        GroupInvitation.group_id == group.id, GroupInvitation.user_id == user.id,
        GroupInvitation.status == PENDING))
