"""Notifications about memberships: every change tells the people it concerns.

Two target types: ``group_invitation`` (the invited member opens it to accept
or decline; only its addressee sees it) and ``group_notice`` (a membership
change, sent only to the people concerned, who may read it even once they have
left the group: the title names a group they belonged to or were invited to).
"""

from sqlalchemy import select

from .. import notifications
from ..extensions import db
from . import permissions
from .models import Group, GroupInvitation, JoinRequest

# Titles are stored untranslated: each recipient reads them in their language when shown.
_ = notifications.sentence

INVITATION, NOTICE = "group_invitation", "group_notice"


def _anyone(_user) -> bool:
    return True


def _group_url(group: Group) -> str:
    return notifications.path_for("groups.show", slug=group.slug)


def _notice(recipients, kind: str, group: Group, title: str, actor, url: str | None = None,
            excerpt: str = "") -> None:
    target = notifications.Target(NOTICE, group.id, title, url or _group_url(group))
    notifications.notify(recipients, kind, target, can_see=_anyone, actor=actor,
                         excerpt=excerpt)


def coordinators_of(group: Group) -> set[int]:
    """The coordinators, who hear about every change in their group."""
    return permissions.coordinator_ids(group.id)


def appointed(actor, group: Group, users) -> None:
    """Tell new coordinators they were appointed."""
    _notice(users, "group.appointed",
            group, _("You coordinate %(group)s", group=group.name), actor)


def joined(user, group: Group) -> None:
    """Tell the coordinators someone joined."""
    _notice(coordinators_of(group), "group.joined", group,
            _("%(name)s joined %(group)s", name=user.display_name, group=group.name), user)


def requested(request: JoinRequest) -> None:
    """Tell the coordinators a member asks to join."""
    group = request.group
    _notice(coordinators_of(group), "group.request", group,
            _("%(name)s asks to join %(group)s", name=request.user.display_name,
              group=group.name), request.user,
            url=notifications.path_for("groups.members", slug=group.slug),
            excerpt=request.message)


def decided(actor, request: JoinRequest, approved: bool) -> None:
    """Tell the member what became of their request."""
    group = request.group
    title = (_("Your request to join %(group)s was approved", group=group.name) if approved
             else _("Your request to join %(group)s was declined", group=group.name))
    _notice([request.user_id], "group.request_decided", group, title, actor,
            excerpt=request.decision_message)


def invited(actor, invitation: GroupInvitation) -> None:
    """Invite a member: the notification opens the page where they accept or decline."""
    group = invitation.group
    target = notifications.Target(
        INVITATION, invitation.id, _("Invitation to join %(group)s", group=group.name),
        notifications.path_for("groups.invitation", invitation_id=invitation.id))
    notifications.notify([invitation.user_id], "group.invited", target, can_see=_anyone,
                         actor=actor)


def answered(invitation: GroupInvitation, accepted: bool) -> None:
    """Tell the coordinators (and the inviter) the answer."""
    group = invitation.group
    name = invitation.user.display_name
    title = (_("%(name)s accepted the invitation to %(group)s", name=name, group=group.name)
             if accepted else
             _("%(name)s declined the invitation to %(group)s", name=name, group=group.name))
    recipients = coordinators_of(group) | {invitation.invited_by_id or 0}
    _notice(recipients - {0}, "group.invitation_answered", group, title, invitation.user)


def withdrawn(actor, invitation: GroupInvitation) -> None:
    """Tell the member their invitation was taken back."""
    group = invitation.group
    _notice([invitation.user_id], "group.invitation_withdrawn", group,
            _("Your invitation to %(group)s was withdrawn", group=group.name), actor,
            url=notifications.path_for("groups.index"))


def left(user, group: Group) -> None:
    """Tell the coordinators a member left."""
    _notice(coordinators_of(group), "group.left", group,
            _("%(name)s left %(group)s", name=user.display_name, group=group.name), user)


def removed(actor, group: Group, user) -> None:
    """Tell the removed member, and the other coordinators."""
    _notice([user.id], "group.removed", group,
            _("You are no longer a member of %(group)s", group=group.name), actor,
            url=notifications.path_for("groups.index"))
    _notice(coordinators_of(group), "group.member_removed", group,
            _("%(name)s was removed from %(group)s", name=user.display_name, group=group.name),
            actor)


def role_changed(actor, group: Group, user, role: str) -> None:
    """Tell a member their role changed."""
    title = (_("You coordinate %(group)s", group=group.name) if role == "coordinator"
             else _("You are now a member (not a coordinator) of %(group)s", group=group.name))
    _notice([user.id], "group.role", group, title, actor)


class OwnInvitations:
    """The "group_invitation" target check: an invitation is seen by its addressee
    alone. Called with ids it answers which the member may see; ``query`` is the same
    as a SELECT, so the bell and the page filter in SQL (like ``RuleTarget``)."""

    def __call__(self, user, ids) -> set[int]:
        """The invitations among ``ids`` addressed to ``user``."""
        return set(db.session.scalars(
            self.query(user).where(GroupInvitation.id.in_(list(ids)))))

    def query(self, user):
        """The ids of the invitations addressed to ``user``, as a SELECT."""
        return select(GroupInvitation.id).where(GroupInvitation.user_id == user.id)


def notice_ids(user, ids) -> set[int]:
    """Membership notices are only ever sent to the people concerned: all stay readable."""
    return set(ids) if permissions.is_member(user) else set()


KIND_LABELS = {
    "group.invited": _("Group invitation"), "group.request": _("Request to join"),
    "group.request_decided": _("Your request"), "group.joined": _("New group member"),
    "group.left": _("Member left"), "group.removed": _("Group membership"),
    "group.member_removed": _("Member removed"), "group.role": _("Group role"),
    "group.appointed": _("Group role"), "group.invitation_answered": _("Invitation answered"),
    "group.invitation_withdrawn": _("Group invitation"),
}


def register(app) -> None:
    """Tell the notifications area who may see these targets."""
    notifications.register_target(app, INVITATION, OwnInvitations())
    notifications.register_target(app, NOTICE, notice_ids)
    for kind, label in KIND_LABELS.items():
        notifications.register_kind(app, kind, label)
