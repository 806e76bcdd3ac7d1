"""Sessions that end: server-side rows, logout everywhere the cookie was copied, lifetimes."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from pen.auth import service, sessions
from pen.auth.models import UserSession, UserStatus
from pen.extensions import db
from pen.types import utcnow
from tests.conftest import PASSWORD, login

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def cookie(client, name: str) -> str | None:
    """A cookie's value in a test client's jar."""
    found = client.get_cookie(name, domain="pen.test")
    return found.value if found else None


def replay(app, **cookies):
    """A new browser holding copies of ``cookies``."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value, domain="pen.test")
    return thief


def signed_in(client) -> bool:
    """Whether the home page opens (a signed-out browser is sent to the login page)."""
    return client.get("/").status_code == 200


def browser(app, user, agent=FIREFOX, address="198.51.100.7", **extra):
    """A client signed in as ``user`` from a given browser and address."""
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": address})
    assert login(client, user.email, **extra).status_code == 302
    return client


def test_a_session_cookie_copied_before_logout_no_longer_works(app, member):
    client = browser(app, member)
    copied = cookie(client, "session")
    assert signed_in(replay(app, session=copied))  # the copy works while the session lives
    client.post("/auth/logout")
    assert not signed_in(client)
    thief = replay(app, session=copied)
    response = thief.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_keep_me_signed_in_cookie_does_not_resurrect_a_signed_out_session(app, member):
    client = browser(app, member, remember="y")
    remembered = cookie(client, "remember_token")
    assert remembered and signed_in(replay(app, remember_token=remembered))
    copied = cookie(client, "session")
    response = client.post("/auth/logout")
    assert any(c.startswith("remember_token=;") for c in response.headers.getlist("Set-Cookie"))
    assert not signed_in(replay(app, remember_token=remembered))
    assert not signed_in(replay(app, session=copied, remember_token=remembered))


def test_where_youre_signed_in_lists_device_address_and_last_seen(app, member):
    here = browser(app, member)
    browser(app, member, agent=SAFARI, address="203.0.113.9")
    page = here.get("/auth/sessions").get_data(as_text=True)
    assert "Firefox on Windows" in page and "Safari on iOS" in page
    assert "198.51.100.7" in page and "203.0.113.9" in page
    assert page.count("this browser") == 1 and "Sign out everywhere else" in page


def test_signing_out_one_session_ends_that_browser_only(app, member):
    here, phone = browser(app, member), browser(app, member, agent=SAFARI)
    other = db.session.scalar(select(UserSession).where(UserSession.user_agent == SAFARI))
    response = here.post(f"/auth/sessions/{other.id}/end", data={"confirmed": "1"})
    assert response.status_code == 302
    assert not signed_in(phone) and signed_in(here)


def test_signing_out_everywhere_else_keeps_this_browser(app, member):
    here = browser(app, member)
    others = [browser(app, member, agent=SAFARI) for _ in range(2)]
    here.post("/auth/sessions/end-others", data={"confirmed": "1"})
    assert signed_in(here) and not any(signed_in(c) for c in others)
    assert len(sessions.of_user(member)) == 1


def test_a_session_id_of_another_account_is_refused(app, member, make_user):
    other = make_user()
    theirs = browser(app, other)
    mine = browser(app, member)
    their_row = db.session.scalar(select(UserSession).where(UserSession.user_id == other.id))
    assert mine.post(f"/auth/sessions/{their_row.id}/end",
                     data={"confirmed": "1"}).status_code == 404
    assert mine.get(f"/auth/sessions/{their_row.id}/end").status_code == 404
    assert signed_in(theirs)
    with theirs.session_transaction() as stolen:
        their_token = stolen["_user_id"].partition(":")[2]
    with mine.session_transaction() as forged:  # a cookie signed with the app's own key
        forged["_user_id"] = sessions.cookie_value(member.id, their_token)
    assert not signed_in(mine)
    assert sessions.check(member.id, their_token) is None
    assert sessions.check(other.id, their_token) is not None


def test_a_password_change_ends_the_other_sessions(app, member):
    here, elsewhere = browser(app, member), browser(app, member)
    new = "a brand new secret"
    here.post("/auth/password", data={"current_password": PASSWORD, "password": new,
                                      "confirm": new})
    assert signed_in(here) and not signed_in(elsewhere)


def test_suspension_and_a_role_change_end_the_accounts_sessions(app, member, admin, make_user):
    suspended = browser(app, member)
    service.set_status(admin, member, UserStatus.SUSPENDED)
    assert not signed_in(suspended)
    promoted = make_user()
    before = browser(app, promoted)
    service.set_roles(admin, promoted, {"moderator"})
    assert not signed_in(before)
    assert len(sessions.of_user(promoted)) == 0 and signed_in(browser(app, promoted))


def test_a_password_reset_ends_every_session(app, member):
    from pen.auth.models import PasswordResetToken
    from pen.tokens import new_token

    client = browser(app, member)
    token, token_digest = new_token()
    db.session.add(PasswordResetToken(user=member, token_digest=token_digest,
                                      expires_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    service.reset_password(token, "a brand new secret")
    assert not signed_in(client)


@pytest.fixture
def clock(monkeypatch):
    """Move the sessions' clock: ``clock.advance(minutes=…)``."""

    class Clock:
        moment = utcnow()

        def advance(self, **delta):
            self.moment += timedelta(**delta)

    found = Clock()
    monkeypatch.setattr(sessions, "now", lambda: found.moment)
    return found


def test_an_idle_session_ends_on_the_server(app_factory, clock):
    app = app_factory(SESSION_IDLE_MINUTES=30)
    with app.app_context():
        user = service.create_user("idle@example.org", "Idle", PASSWORD)
        db.session.commit()
        client = browser(app, user)
        clock.advance(minutes=29)
        assert signed_in(client)  # and the visit counts as use
        clock.advance(minutes=29)
        assert signed_in(client)
        clock.advance(minutes=31)
        assert not signed_in(client)
        assert db.session.scalar(select(UserSession)) is None  # the row went with it


def test_a_remembered_session_outlives_idleness_but_not_the_absolute_lifetime(
        app_factory, clock):
    app = app_factory(SESSION_IDLE_MINUTES=30, SESSION_MAX_DAYS=3, REMEMBER_DAYS=14)
    with app.app_context():
        user = service.create_user("kept@example.org", "Kept", PASSWORD)
        db.session.commit()
        client = browser(app, user, remember="y")
        remembered = cookie(client, "remember_token")
        clock.advance(days=2)
        assert signed_in(replay(app, remember_token=remembered))
        clock.advance(days=1, minutes=1)
        assert not signed_in(replay(app, remember_token=remembered))


def test_last_seen_is_written_at_most_once_a_minute(app, member, clock):
    client = browser(app, member)
    row = db.session.scalar(select(UserSession))
    first = row.last_seen_at
    clock.advance(seconds=30)
    assert signed_in(client)
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).last_seen_at == first
    clock.advance(seconds=31)
    assert signed_in(client)
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).last_seen_at == clock.moment


def test_the_worker_purges_expired_sessions(app, member, clock):
    browser(app, member)
    browser(app, member, remember="y")
    clock.advance(hours=3)
    assert sessions.purge_expired() == 1  # the one not kept signed in
    clock.advance(days=30)
    assert sessions.purge_expired() == 1


def test_device_names(app):
    assert sessions.device(FIREFOX) == "Firefox on Windows"
    assert sessions.device(SAFARI) == "Safari on iOS"
    assert sessions.device("curl/8.5.0") == "curl/8.5.0"
    assert sessions.device("") == "Unknown device"


def test_signing_out_a_session_asks_first(app, member):
    here, phone = browser(app, member), browser(app, member, agent=SAFARI)
    other = db.session.scalar(select(UserSession).where(UserSession.user_agent == SAFARI))
    page = here.get(f"/auth/sessions/{other.id}/end").get_data(as_text=True)
    assert "Sign out Safari on iOS?" in page
    assert here.post(f"/auth/sessions/{other.id}/end").status_code == 200
    assert signed_in(phone)
    here.post(f"/auth/sessions/{other.id}/end", data={"confirmed": "1"})
    assert not signed_in(phone)


def test_signing_out_everywhere_else_asks_first(app, member):
    here, phone = browser(app, member), browser(app, member, agent=SAFARI)
    page = here.get("/auth/sessions/end-others").get_data(as_text=True)
    assert "Sign out everywhere else?" in page and "this one stays signed in" in page
    assert here.post("/auth/sessions/end-others").status_code == 200
    assert signed_in(phone) and len(sessions.of_user(member)) == 2


def session_cookies(response) -> list[str]:
    """The session cookies a response sets."""
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_the_session_cookie_is_signed_again_only_when_last_seen_moves(app, member, clock):
    client = browser(app, member)
    client.get("/")  # the first page puts the form token in the session
    clock.advance(seconds=30)
    assert session_cookies(client.get("/")) == []  # unchanged: not signed and sent again
    clock.advance(seconds=31)
    refreshed = session_cookies(client.get("/"))
    assert len(refreshed) == 1 and "Expires=" in refreshed[0]  # the idle clock moved
    assert signed_in(client)
