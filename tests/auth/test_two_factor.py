"""Two-step sign-in: enrolment, TOTP codes once each, recovery codes, remembered devices."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from pen import audit
from pen.auth import signin, twofactor
from pen.auth.models import RememberedDevice, TwoFactor
from pen.errors import Forbidden
from pen.extensions import db
from pen.types import utcnow
from tests.conftest import PASSWORD, login


@pytest.fixture
def clock(monkeypatch):
    """The two-factor clock, moved by ``clock.advance(seconds=…)``; starts mid-step."""

    class Clock:
        moment = utcnow().replace(second=10, microsecond=0)

        def advance(self, **delta):
            self.moment += timedelta(**delta)

    found = Clock()
    monkeypatch.setattr(twofactor, "now", lambda: found.moment)
    return found


def code_for(user, clock, offset: int = 0) -> str:
    """The code an authenticator app shows now (``offset`` steps of 30 s away)."""
    secret = db.session.get(TwoFactor, user.id).secret
    return pyotp.TOTP(secret).at(clock.moment + timedelta(seconds=30 * offset))


def enrol(user, clock) -> list[str]:
    """Set up two-step sign-in through the service; returns the recovery codes."""
    secret = twofactor.new_secret()
    codes = twofactor.confirm(user, secret, pyotp.TOTP(secret).at(clock.moment))
    clock.advance(seconds=30)
    return codes


def actions() -> list[str]:
    """Audit actions, oldest first."""
    return [entry.action for entry in reversed(db.session.scalars(audit.query()).all())]


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def password_step(client, user, **extra):
    """Sign in with the password; returns the response (a redirect)."""
    return login(client, user.email, **extra)


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_right_code(member_client,
                                                                          member, clock):
    page = member_client.get("/auth/two-factor/setup").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # drawn here: no outside service, CSP-safe
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert db.session.get(TwoFactor, member.id) is None  # showing the page wrote nothing
    again = member_client.get("/auth/two-factor/setup").get_data(as_text=True)
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in again  # kept
    wrong = member_client.post("/auth/two-factor/setup", data={"code": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.get_data(as_text=True)
    assert not twofactor.is_enrolled(member)
    right = member_client.post("/auth/two-factor/setup",
                               data={"code": pyotp.TOTP(secret).at(clock.moment)})
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", right.get_data(as_text=True))
    assert len(set(codes)) == 10 and right.headers["Cache-Control"] == "no-store"
    assert twofactor.is_enrolled(member) and "auth.2fa_enabled" in actions()


def test_sign_in_asks_for_the_code_after_the_password(client, member, clock):
    enrol(member, clock)
    response = password_step(client, member)
    assert response.headers["Location"] == "/auth/two-factor"
    assert not signed_in(client)  # a right password alone opens nothing
    response = client.post("/auth/two-factor", data={"code": code_for(member, clock)})
    assert response.status_code == 302 and signed_in(client)


def test_a_wrong_code_is_refused_and_audited(client, member, clock):
    enrol(member, clock)
    password_step(client, member)
    response = client.post("/auth/two-factor", data={"code": "123456"})
    assert response.status_code == 400
    assert "That code is not right, or it was already used." in response.get_data(as_text=True)
    assert not signed_in(client) and actions()[-1] == "auth.2fa_failed"


def test_a_replayed_code_is_refused(app, member, clock):
    enrol(member, clock)
    first = app.test_client()
    password_step(first, member)
    used = code_for(member, clock)
    assert first.post("/auth/two-factor", data={"code": used}).status_code == 302
    thief = app.test_client()  # someone who saw the code, within the same 30 seconds
    password_step(thief, member)
    response = thief.post("/auth/two-factor", data={"code": used})
    assert response.status_code == 400 and not signed_in(thief)
    clock.advance(seconds=30)
    earlier = code_for(member, clock, offset=-2)  # older than the one accepted
    assert thief.post("/auth/two-factor", data={"code": earlier}).status_code == 400
    assert thief.post("/auth/two-factor",
                      data={"code": code_for(member, clock)}).status_code == 302


def test_a_recovery_code_works_once(app, member, clock):
    codes = enrol(member, clock)
    client = app.test_client()
    password_step(client, member)
    assert client.post("/auth/two-factor", data={"code": codes[0].upper()}).status_code == 302
    client.post("/auth/logout")
    password_step(client, member)
    response = client.post("/auth/two-factor", data={"code": codes[0]})
    assert response.status_code == 400 and not signed_in(client)
    assert twofactor.recovery_codes_left(member) == 9


def test_the_second_step_cannot_be_skipped_and_expires(client, member, clock, monkeypatch):
    enrol(member, clock)
    assert client.post("/auth/two-factor", data={"code": code_for(member, clock)}
                       ).headers["Location"] == "/auth/login"  # no password step: nothing
    password_step(client, member)
    monkeypatch.setattr(signin, "CHALLENGE_SECONDS", -1)  # the password step is too old
    response = client.post("/auth/two-factor", data={"code": code_for(member, clock)})
    assert response.headers["Location"] == "/auth/login" and not signed_in(client)


def test_a_remembered_browser_skips_the_code_until_sessions_are_revoked(app, member, clock,
                                                                        make_user):
    enrol(member, clock)
    client = app.test_client()
    password_step(client, member)
    client.post("/auth/two-factor", data={"code": code_for(member, clock),
                                          "remember_device": "y"})
    remembered = client.get_cookie("pen_device", domain="pen.test").value
    client.post("/auth/logout")
    assert password_step(client, member).headers["Location"] == "/"  # no code asked
    colleague = make_user()
    enrol(colleague, clock)
    other = app.test_client()  # the same cookie counts for nothing on another account
    other.set_cookie("pen_device", remembered, domain="pen.test")
    assert password_step(other, colleague).headers["Location"] == "/auth/two-factor"
    # revokes the remembered devices too
    client.post("/auth/sessions/end-others", data={"confirmed": "1"})
    assert db.session.scalar(select(RememberedDevice)) is None
    client.post("/auth/logout")
    assert password_step(client, member).headers["Location"] == "/auth/two-factor"


def test_required_roles_must_enrol_before_anything_else(app_factory, clock):
    app = app_factory(TWO_FACTOR_REQUIRED_ROLES=["admin", "committee"])
    with app.app_context():
        from pen.auth import service

        chair = service.create_user("chair@example.org", "Chair", PASSWORD, ("committee",))
        plain = service.create_user("plain@example.org", "Plain", PASSWORD)
        db.session.commit()
        client = app.test_client()
        login(client, chair.email)
        assert client.get("/members/").headers["Location"] == "/auth/two-factor/setup"
        page = client.get("/auth/two-factor/setup").get_data(as_text=True)
        secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)
        client.post("/auth/two-factor/setup",
                    data={"code": pyotp.TOTP(secret.replace(" ", "")).at(clock.moment)})
        assert client.get("/members/").status_code == 200
        with pytest.raises(Forbidden):
            twofactor.disable(chair, PASSWORD)
        other = app.test_client()
        login(other, plain.email)
        assert other.get("/members/").status_code == 200  # optional for members


def test_a_member_turns_it_off_with_the_password(member_client, member, clock):
    enrol(member, clock)
    response = member_client.post("/auth/two-factor/disable", data={"password": "wrong"})
    assert response.status_code == 302 and twofactor.is_enrolled(member)
    member_client.post("/auth/two-factor/disable", data={"password": PASSWORD})
    assert not twofactor.is_enrolled(member) and "auth.2fa_disabled" in actions()


def test_codes_are_rate_limited(client, member, clock):
    enrol(member, clock)
    password_step(client, member)
    for _ in range(5):
        assert client.post("/auth/two-factor", data={"code": "000000"}).status_code == 400
    assert client.post("/auth/two-factor",
                       data={"code": code_for(member, clock)}).status_code == 429
    assert not signed_in(client)


def test_an_administrator_resets_a_members_second_factor(app, member, admin, client_as,
                                                         clock):
    enrol(member, clock)
    signed = client_as(admin)
    page = signed.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert "Reset two-step sign-in" in page
    url = f"/admin/users/{member.id}/two-factor/reset"
    question = signed.get(url).get_data(as_text=True)
    assert f"Reset two-step sign-in for {member.display_name}?" in question
    assert "signed out everywhere now" in question and twofactor.is_enrolled(member)
    assert signed.post(url).status_code == 200 and twofactor.is_enrolled(member)
    assert signed.post(url, data={"confirmed": "1"}).status_code == 302
    assert not twofactor.is_enrolled(member)
    entry = db.session.scalar(audit.query("auth.2fa_reset"))
    assert entry.actor_id == admin.id and entry.target_id == str(member.id)
    with pytest.raises(Forbidden):
        twofactor.reset(member, admin)
