"""Coordinators' page: members and roles, requests to decide, invitations to send."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import confirm
from ..auth.models import User
from ..extensions import db
from . import membership, permissions, service
from .forms import DecisionForm, InviteForm, RoleForm
from .models import GroupInvitation, JoinRequest
from .views import bp, group_or_404, run


def _managed_group_or_404(slug: str):
    """The group, 404 if unseen, 403 if the member does not coordinate it."""
    group = group_or_404(slug)
    if not permissions.can_manage_group(current_user, group):
        abort(403)
    return group


@bp.get("/<slug>/members")
def members(slug: str):
    """Members with their roles, pending requests and invitations (coordinators)."""
    group = _managed_group_or_404(slug)
    return _members_page(group, InviteForm())


def _members_page(group, invite_form, status: int = 200):
    return render_template(
        "groups/members.html", group=group, invite_form=invite_form,
        members=service.memberships(group), requests=membership.pending_requests(group),
        invitations=membership.pending_invitations(group), decision_form=DecisionForm(),
        role_form=RoleForm()), status


@bp.post("/<slug>/invite")
def invite(slug: str):
    """Invite a member by name or email."""
    group = _managed_group_or_404(slug)
    form = InviteForm()
    if form.validate_on_submit() and run(form, lambda: membership.invite(
            current_user, group, service.find_member(form.member.data)), "member"):
        flash(_("The invitation was sent."), "success")
        return redirect(url_for(".members", slug=group.slug))
    return _members_page(group, form, 400)


def _request_or_404(group, request_id: int) -> JoinRequest:
    found = db.session.get(JoinRequest, request_id)
    if found is None or found.group_id != group.id:
        abort(404)
    return found


@bp.post("/<slug>/requests/<int:request_id>/<decision>")
def decide(slug: str, request_id: int, decision: str):
    """Approve or decline a request (never one's own: 403)."""
    if decision not in ("approve", "decline"):
        abort(404)
    group = group_or_404(slug)
    found = _request_or_404(group, request_id)
    form = DecisionForm()
    form.validate_on_submit()
    if run(None, lambda: membership.decide_request(current_user, found, decision == "approve",
                                                   form.message.data or "")):
        flash(_("The request was approved.") if decision == "approve"
              else _("The request was declined."), "success")
    return redirect(url_for(".members", slug=group.slug))


@bp.route("/<slug>/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
def revoke(slug: str, invitation_id: int):
    """Take back a pending invitation, once confirmed."""
    group = _managed_group_or_404(slug)
    found = db.session.get(GroupInvitation, invitation_id)
    if found is None or found.group_id != group.id:
        abort(404)
    page = confirm.ask(
        _("Withdraw the invitation of %(name)s to %(group)s?", name=found.user.display_name,
          group=group.name),
        _("They are told, and can no longer accept it."),
        url_for(".members", slug=group.slug), _("Withdraw the invitation"))
    if page is not None and found.status == membership.PENDING:
        return page
    if run(None, lambda: membership.revoke_invitation(current_user, found)):
        flash(_("The invitation was withdrawn."), "success")
    return redirect(url_for(".members", slug=group.slug))


def _member_or_404(group, user_id: int) -> User:
    user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None or membership.membership_of(group, user_id) is None:
        abort(404)
    return user


@bp.route("/<slug>/members/<int:user_id>/remove", methods=["GET", "POST"])
def remove(slug: str, user_id: int):
    """Remove a member, once confirmed (coordinators; a plain member gets 403)."""
    group = group_or_404(slug)
    user = _member_or_404(group, user_id)
    membership.check_remove(current_user, group, user)
    page = confirm.ask(
        _("Remove %(name)s from %(group)s?", name=user.display_name, group=group.name),
        _("They are told, and no longer see the group's discussions, documents, work plan "
          "or meetings."), url_for(".members", slug=group.slug), _("Remove from the group"))
    if page is not None:
        return page
    if run(None, lambda: membership.remove_member(current_user, group, user)):
        flash(_("%(name)s was removed from the group.", name=user.display_name), "success")
    return redirect(url_for(".members", slug=group.slug))


@bp.post("/<slug>/members/<int:user_id>/role")
def role(slug: str, user_id: int):
    """Appoint or step down a coordinator (403 before the form is read, as for the others)."""
    group = _managed_group_or_404(slug)
    user = _member_or_404(group, user_id)
    form = RoleForm()
    if form.validate_on_submit() and run(None, lambda: membership.set_role(
            current_user, group, user, form.role.data)):
        flash(_("The role was changed."), "success")
    return redirect(url_for(".members", slug=group.slug))
