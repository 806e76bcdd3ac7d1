"""Removing a member, withdrawing an invitation, removing an activity or a meeting ask
first; a plain member is refused as before, confirmed or not."""

from pen.groups import membership, permissions


def _joined(group, member, coordinator) -> None:
    membership.request_to_join(member, group)
    membership.decide_request(coordinator, membership.own_request(member, group), True)


def test_removing_a_member_asks_first(group, member, coordinator, client_as):
    _joined(group, member, coordinator)
    url = f"/groups/{group.slug}/members/{member.id}/remove"
    client = client_as(coordinator)
    page = client.get(url).get_data(as_text=True)
    assert "Remove Nguyen Thi Lan from Maintenance of PCB-containing equipment?" in page
    assert client.post(url).status_code == 200
    assert permissions.is_group_member(member, group.id)
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    assert not permissions.is_group_member(member, group.id)


def test_a_plain_member_is_refused_confirmed_or_not(group, member, coordinator, client_as):
    _joined(group, member, coordinator)
    url = f"/groups/{group.slug}/members/{coordinator.id}/remove"
    client = client_as(member)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert client.post(url, data={"confirmed": "1"}).status_code == 403
    assert permissions.is_coordinator(coordinator, group.id)


def test_withdrawing_an_invitation_asks_first(group, member, coordinator, client_as):
    invitation = membership.invite(coordinator, group, member)
    url = f"/groups/{group.slug}/invitations/{invitation.id}/revoke"
    page = client_as(coordinator).post(url).get_data(as_text=True)
    assert "Withdraw the invitation of Nguyen Thi Lan" in page
    assert membership.own_invitation(member, group) is not None
