"""Joining, requests, invitations, leaving and removal: rules, refusals, notices, audit."""

import pytest
from sqlalchemy import select

from pen.audit import AuditEntry
from pen.errors import Forbidden, NotFound, ValidationError
from pen.extensions import db
from pen.groups import membership, permissions
from pen.notifications.models import Notification


def kinds_for(user) -> list[str]:
    """The kinds of the notifications ``user`` received, oldest first."""
    return list(db.session.scalars(select(Notification.kind).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def actions() -> list[str]:
    """The audited actions, oldest first."""
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_open_group_join_with_a_click(make_group, member, coordinator, client_as):
    group = make_group(slug="inventories", join_policy="open")
    response = client_as(member).post(f"/groups/{group.slug}/join")
    assert response.status_code == 302
    assert permissions.is_group_member(member, group.id)
    assert "group.joined" in kinds_for(coordinator)
    assert "group.join" in actions()


def test_joining_an_invitation_only_group_by_url_is_403(make_group, member, client_as):
    group = make_group(slug="closed", join_policy="invitation")
    response = client_as(member).post(f"/groups/{group.slug}/join")
    assert response.status_code == 403
    assert not permissions.is_group_member(member, group.id)


def test_joining_an_unlisted_group_one_cannot_see_is_404(make_group, member, client_as):
    group = make_group(slug="hidden", join_policy="open", visibility="unlisted")
    client = client_as(member)
    assert client.get("/groups/hidden").status_code == 404
    assert client.post("/groups/hidden/join").status_code == 404
    assert "/groups/hidden" not in client.get("/groups/").get_data(as_text=True)
    assert not permissions.is_group_member(member, group.id)


def test_request_then_approve_with_message(group, member, coordinator, client_as):
    client = client_as(member)
    client.post(f"/groups/{group.slug}/request", data={"message": "I run an inventory."})
    request = membership.own_request(member, group)
    assert request.status == "pending" and request.message == "I run an inventory."
    assert "group.request" in kinds_for(coordinator)
    page = client_as(coordinator).get(f"/groups/{group.slug}/members").get_data(as_text=True)
    assert "I run an inventory." in page
    response = client_as(coordinator).post(
        f"/groups/{group.slug}/requests/{request.id}/approve", data={"message": "Welcome!"})
    assert response.status_code == 302
    assert permissions.is_group_member(member, group.id)
    assert "group.request_decided" in kinds_for(member)
    assert "group.request_approved" in actions()


def test_declined_request_tells_the_member_why(group, member, coordinator):
    request = membership.request_to_join(member, group, "Please")
    membership.decide_request(coordinator, request, False, "The group is full this year.")
    assert not permissions.is_group_member(member, group.id)
    note = db.session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert "declined" in note.title and note.excerpt == "The group is full this year."


def test_approving_ones_own_request_is_403(group, member, client_as, admin):
    request = membership.request_to_join(member, group)
    response = client_as(member).post(f"/groups/{group.slug}/requests/{request.id}/approve")
    assert response.status_code == 403
    # even an administrator (who manages every group) may not decide their own request
    own = membership.request_to_join(admin, group)
    with pytest.raises(Forbidden):
        membership.decide_request(admin, own, True)
    assert not permissions.is_group_member(member, group.id)
    assert not permissions.is_group_member(admin, group.id)


def test_invite_accept_from_the_notification(group, member, coordinator, client_as):
    client = client_as(coordinator)
    response = client.post(f"/groups/{group.slug}/invite", data={"member": "nguyen thi lan"})
    assert response.status_code == 302
    note = db.session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert note.kind == "group.invited"
    invited = client_as(member)
    page = invited.get(note.url).get_data(as_text=True)
    assert "Accept and join" in page
    assert invited.post(note.url, data={"answer": "accept"}).status_code == 302
    assert permissions.is_group_member(member, group.id)
    assert "group.invitation_answered" in kinds_for(coordinator)
    assert "group.invitation_accepted" in actions()


def test_invited_member_declines_and_others_cannot_answer(group, member, coordinator,
                                                         make_user, client_as):
    invitation = membership.invite(coordinator, group, member)
    url = f"/groups/invitations/{invitation.id}"
    assert client_as(make_user()).post(url, data={"answer": "accept"}).status_code == 404
    assert client_as(member).post(url, data={"answer": "decline"}).status_code == 302
    assert not permissions.is_group_member(member, group.id)
    db.session.refresh(invitation)
    assert invitation.status == "declined"


def test_invited_member_sees_an_unlisted_group(make_group, member, coordinator, client_as):
    group = make_group(slug="secret", visibility="unlisted", join_policy="invitation")
    client = client_as(member)
    assert client.get("/groups/secret").status_code == 404
    membership.invite(coordinator, group, member)
    assert client.get("/groups/secret").status_code == 200


def test_inviting_an_unknown_name_says_so(group, coordinator, client_as):
    response = client_as(coordinator).post(f"/groups/{group.slug}/invite",
                                           data={"member": "Nobody Here"})
    assert response.status_code == 400
    assert "No active member has this name or email." in response.get_data(as_text=True)


def test_plain_member_cannot_invite(group, member, make_user):
    membership.join  # noqa: B018 - the open path is tested above
    with pytest.raises(Forbidden):
        membership.invite(member, group, make_user())


def test_removing_a_coordinator_as_a_plain_member_is_403(group, member, coordinator,
                                                        client_as):
    membership.invite(coordinator, group, member)
    membership.answer_invitation(member, membership.own_invitation(member, group), True)
    response = client_as(member).post(f"/groups/{group.slug}/members/{coordinator.id}/remove")
    assert response.status_code == 403
    assert permissions.is_coordinator(coordinator, group.id)


def test_coordinator_removes_a_member_who_is_told(group, member, coordinator, client_as):
    membership.request_to_join(member, group)
    membership.decide_request(coordinator, membership.own_request(member, group), True)
    response = client_as(coordinator).post(
        f"/groups/{group.slug}/members/{member.id}/remove", data={"confirmed": "1"})
    assert response.status_code == 302
    assert not permissions.is_group_member(member, group.id)
    assert "group.removed" in kinds_for(member)
    assert "group.remove" in actions()


def test_the_last_coordinator_cannot_be_removed_or_step_down(group, coordinator, admin):
    with pytest.raises(ValidationError):
        membership.remove_member(admin, group, coordinator)
    with pytest.raises(ValidationError):
        membership.set_role(admin, group, coordinator, "member")


def test_last_coordinator_names_a_successor_to_leave(group, member, coordinator, client_as):
    membership.request_to_join(member, group)
    membership.decide_request(coordinator, membership.own_request(member, group), True)
    client = client_as(coordinator)
    refused = client.post(f"/groups/{group.slug}/leave", data={"successor": 0})
    assert refused.status_code == 400
    assert "last coordinator" in refused.get_data(as_text=True)
    assert permissions.is_group_member(coordinator, group.id)
    done = client.post(f"/groups/{group.slug}/leave", data={"successor": member.id})
    assert done.status_code == 302
    assert permissions.is_coordinator(member, group.id)
    assert not permissions.is_group_member(coordinator, group.id)
    assert "group.role" in kinds_for(member)


def test_a_member_leaves_and_coordinators_hear_it(make_group, member, coordinator):
    group = make_group(slug="open-one", join_policy="open")
    membership.join(member, group)
    membership.leave(member, group)
    assert not permissions.is_group_member(member, group.id)
    assert kinds_for(coordinator)[-1] == "group.left"


def test_requests_to_a_group_that_does_not_take_them_are_403(make_group, member):
    group = make_group(slug="open-two", join_policy="open")
    with pytest.raises(Forbidden):
        membership.request_to_join(member, group)


def test_someone_elses_invitation_page_is_404(group, member, coordinator, make_user,
                                             client_as):
    invitation = membership.invite(coordinator, group, member)
    assert client_as(make_user()).get(f"/groups/invitations/{invitation.id}").status_code == 404
    with pytest.raises(NotFound):
        membership.get_invitation_for(coordinator, invitation.id)


def test_withdrawn_invitation_tells_the_member_and_cannot_be_accepted(group, member,
                                                                     coordinator, client_as):
    invitation = membership.invite(coordinator, group, member)
    response = client_as(coordinator).post(
        f"/groups/{group.slug}/invitations/{invitation.id}/revoke", data={"confirmed": "1"})
    assert response.status_code == 302
    assert kinds_for(member) == ["group.invited", "group.invitation_withdrawn"]
    page = client_as(member).post(f"/groups/invitations/{invitation.id}",
                                  data={"answer": "accept"})
    assert "This invitation was withdrawn." in page.get_data(as_text=True)
    assert not permissions.is_group_member(member, group.id)
    assert "group.invitation_revoked" in actions()
