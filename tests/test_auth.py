"""Signing in and out, sessions, password change and reset rules."""

import itsdangerous.timed
import pytest
from argon2 import PasswordHasher
from flask import session

from pen.auth import service
from pen.auth.models import UserStatus
from pen.extensions import db
from tests.conftest import PASSWORD, login

WRONG = "Wrong email or password."


def test_login_with_any_case_and_spaces_in_email(client, member):
    response = login(client, "  LAN.Nguyen@Example.ORG ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, member):
    wrong = login(client, member.email, "not the password")
    unknown = login(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert WRONG in wrong.get_data(as_text=True)
    assert WRONG in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_unknown_email_is_checked_against_a_real_hash(client, monkeypatch):
    """The unknown-account path does the same Argon2 work as a real check."""
    verified = []
    original = PasswordHasher.verify

    def spy(self, stored, password):
        verified.append(stored)
        return original(self, stored, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    login(client, "nobody@example.org", "whatever-it-is")
    assert len(verified) == 1 and verified[0].startswith("$argon2")


def test_login_keeps_the_typed_email(client, member):
    page = login(client, member.email, "wrong password").get_data(as_text=True)
    assert f'value="{member.email}"' in page


def test_invited_account_cannot_log_in(client, make_user):
    invited = make_user(email="invited@example.org", password=None, status=UserStatus.INVITED)
    assert WRONG in login(client, invited.email, "anything-at-all").get_data(as_text=True)


def test_suspended_account_cannot_log_in(client, make_user):
    user = make_user(email="gone@example.org", status=UserStatus.SUSPENDED)
    response = login(client, user.email)
    assert response.status_code == 200
    assert "suspended" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_suspending_ends_existing_sessions(app, member_client, member, admin):
    assert member_client.get("/").status_code == 200
    service.set_status(admin, member, UserStatus.SUSPENDED)
    response = member_client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_logout_ends_the_session(member_client):
    response = member_client.post("/auth/logout")
    assert response.status_code == 302
    assert member_client.get("/").status_code == 302


def test_logout_needs_post(member_client):
    assert member_client.get("/auth/logout").status_code == 405
    assert member_client.get("/").status_code == 200


def test_login_starts_a_fresh_session(client, member):
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    login(client, member.email)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.permanent


@pytest.mark.parametrize("target", ["/admin/users", "/auth/password?x=1"])
def test_next_goes_to_a_page_of_this_site(client, member, target):
    response = client.post(f"/auth/login?next={target}",
                           data={"email": member.email, "password": PASSWORD})
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "http:evil.example", "https://evil.example/",
    "javascript:alert(1)", "/\r\nSet-Cookie:x", "\t//evil.example", "///evil.example",
    "/\t/evil.example",
])
def test_next_never_leaves_the_site(client, member, target):
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/admin/users?status=active")
    assert response.headers["Location"] == "/auth/login?next=/admin/users?status%3Dactive"


def test_session_ends_after_idle_timeout(app_factory, monkeypatch):
    app = app_factory(SESSION_IDLE_MINUTES=30)
    client = app.test_client()
    with app.app_context():
        service.create_user("idle@example.org", "Idle", PASSWORD)
        db.session.commit()
    login(client, "idle@example.org")
    now = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 29 * 60)
    assert client.get("/").status_code == 200  # and the visit slides the window
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 29 * 60 + 31 * 60)
    assert client.get("/").status_code == 302


def test_remember_me_sets_a_long_lived_httponly_cookie(client, member):
    response = login(client, member.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember and "Expires=" in remember


def test_session_cookie_flags(client, member):
    cookie = next(c for c in login(client, member.email).headers.getlist("Set-Cookie")
                  if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in development


def test_cookies_are_secure_over_https(app, member):
    client = app.test_client()
    response = client.post("/auth/login", base_url="https://pen.test",
                           data={"email": member.email, "password": PASSWORD, "remember": "y"})
    for cookie in response.headers.getlist("Set-Cookie"):
        assert "Secure" in cookie


def test_change_password_ends_other_sessions(app, member):
    here, elsewhere = app.test_client(), app.test_client()
    login(here, member.email)
    login(elsewhere, member.email)
    new = "a brand new secret"
    response = here.post("/auth/password", data={
        "current_password": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    here.post("/auth/logout")
    assert login(here, member.email, "a brand new secret").status_code == 302


def test_change_password_refuses_a_wrong_current_password(member_client):
    page = member_client.post("/auth/password", data={
        "current_password": "not it at all", "password": "a brand new secret",
        "confirm": "a brand new secret"}).get_data(as_text=True)
    assert "Your current password is not right." in page


@pytest.mark.parametrize(("new", "confirm", "message"), [
    ("short", "short", "Use at least 10 characters."),
    ("a brand new secret", "something else", "The two passwords differ."),
    ("lan.nguyen@example.org", "lan.nguyen@example.org", "cannot be your email"),
])
def test_change_password_explains_a_refused_password(member_client, new, confirm, message):
    page = member_client.post("/auth/password", data={
        "current_password": PASSWORD, "password": new, "confirm": confirm}).get_data(as_text=True)
    assert message in page


def test_password_hash_is_argon2_and_never_the_password(member):
    assert member.password_hash.startswith("$argon2id$")
    assert PASSWORD not in member.password_hash


def test_the_cookie_holds_a_random_session_id_whose_digest_is_stored(app, member_client,
                                                                    member):
    from pen.auth.models import UserSession
    from pen.tokens import digest

    with member_client.session_transaction() as current:
        user_id, _sep, token = current["_user_id"].partition(":")
    assert user_id == str(member.id) and len(token) >= 40
    stored = db.session.scalar(db.select(UserSession))
    assert stored.token_digest == digest(token) and token not in stored.token_digest


def test_login_audited(app, client, member):
    from pen import audit

    login(client, member.email, "wrong one here")
    login(client, member.email)
    actions = [entry.action for entry in db.session.scalars(audit.query())]
    assert actions[:2] == ["auth.login", "auth.login_failed"]


def test_session_helper_is_cleared_on_logout(member_client):
    member_client.post("/auth/logout")
    with member_client.session_transaction() as current:
        assert "_user_id" not in current
    assert session is not None
