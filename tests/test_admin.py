"""Administrators manage accounts; nobody else can."""

import pytest

from pen import audit
from pen.auth import service
from pen.auth.models import UserStatus
from pen.errors import Forbidden
from pen.extensions import db


def test_admin_lists_and_filters_accounts(admin_client, make_user):
    make_user(email="carlos@example.org", name="Carlos Mendoza")
    make_user(email="moussa@example.org", name="Moussa Ndiaye", password=None,
              status=UserStatus.INVITED)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "Carlos Mendoza" in page and "Moussa Ndiaye" in page
    page = admin_client.get("/admin/users?status=invited").get_data(as_text=True)
    assert "Moussa Ndiaye" in page and "Carlos Mendoza" not in page
    page = admin_client.get("/admin/users?q=MENDOZA").get_data(as_text=True)
    assert "Carlos Mendoza" in page and "Moussa Ndiaye" not in page


def test_account_list_is_paginated_by_the_database(admin_client, make_user):
    for number in range(55):
        make_user(email=f"bulk{number:02d}@example.org", name=f"Bulk {number:02d}")
    first = admin_client.get("/admin/users").get_data(as_text=True)
    second = admin_client.get("/admin/users?page=2").get_data(as_text=True)
    assert first.count("/admin/users/") - second.count("/admin/users/") > 0
    assert "56 accounts" in first
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_admin_grants_roles(admin_client, member):
    response = admin_client.post(f"/admin/users/{member.id}/roles",
                                 data={"roles": ["moderator", "committee"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert member.role_names == {"member", "moderator", "committee"}
    assert audit.for_target(member)[0].action == "user.roles"


def test_unknown_role_is_refused(admin_client, member):
    response = admin_client.post(f"/admin/users/{member.id}/roles", data={"roles": ["root"]})
    assert response.status_code == 400
    db.session.expire_all()
    assert member.role_names == {"member"}


def test_admin_suspends_and_reactivates(admin_client, member):
    question = admin_client.get(f"/admin/users/{member.id}/status").get_data(as_text=True)
    assert f"Suspend {member.display_name}?" in question
    assert 'name="status" value="suspended"' in question
    admin_client.post(f"/admin/users/{member.id}/status", data={"status": "suspended"})
    db.session.expire_all()
    assert member.status == UserStatus.ACTIVE  # not confirmed: only asked
    admin_client.post(f"/admin/users/{member.id}/status",
                      data={"status": "suspended", "confirmed": "1"})
    db.session.expire_all()
    assert member.status == UserStatus.SUSPENDED
    admin_client.post(f"/admin/users/{member.id}/status", data={"status": "active"})
    db.session.expire_all()
    assert member.status == UserStatus.ACTIVE


def test_admin_cannot_lock_themselves_out(admin_client, admin):
    response = admin_client.post(f"/admin/users/{admin.id}/status", data={"status": "suspended"})
    assert response.status_code == 403
    assert admin_client.get(f"/admin/users/{admin.id}/status").status_code == 403
    db.session.expire_all()
    assert admin.status == UserStatus.ACTIVE
    with pytest.raises(Forbidden):
        service.set_roles(admin, admin, set())


def test_invited_account_cannot_be_activated_without_a_password(admin_client, make_user):
    invited = make_user(email="new@example.org", password=None, status=UserStatus.INVITED)
    response = admin_client.post(f"/admin/users/{invited.id}/status", data={"status": "active"},
                                 follow_redirects=True)
    assert "has no password yet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert invited.status == UserStatus.INVITED


def test_member_cannot_change_roles_even_by_posting(member_client, member, make_user):
    other = make_user(email="other@example.org")
    assert member_client.post(f"/admin/users/{other.id}/roles",
                              data={"roles": ["admin"]}).status_code == 403
    assert member_client.post(f"/admin/users/{member.id}/roles",
                              data={"roles": ["admin"]}).status_code == 403
    with pytest.raises(Forbidden):
        service.set_roles(member, other, {"admin"})
    db.session.expire_all()
    assert other.role_names == {"member"} and member.role_names == {"member"}


def test_moderator_is_not_an_admin(client, make_user):
    from tests.conftest import login

    moderator = make_user(email="mod@example.org", roles=("moderator",))
    login(client, moderator.email)
    assert client.get("/admin/users").status_code == 403


def test_audit_log_shows_who_did_what(admin_client, admin, member):
    admin_client.post(f"/admin/users/{member.id}/status",
                      data={"status": "suspended", "confirmed": "1"})
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "user.status" in page and "Amina Diallo" in page
    filtered = admin_client.get("/admin/audit?action=auth.login").get_data(as_text=True)
    assert "user.status" not in filtered.split("<tbody>")[1]


def test_missing_account_is_404(admin_client):
    assert admin_client.get("/admin/users/9999").status_code == 404
