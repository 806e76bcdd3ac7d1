"""Starting and ending the browser's session: the glue between the cookie and the rows.

Flask-Login keeps ``_user_id`` in the signed session cookie and copies it into the
"keep me signed in" cookie; here that value is ``<user id>:<session id>``, so both
cookies die with the session's row (see ``sessions``).
"""

import time

from flask import current_app, g, request, session
from flask_login import login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from . import service, sessions
from .models import User

USER_KEY = "_user_id"  # Flask-Login's key in the session


def begin(user: User, remember: bool = False) -> None:
    """A new session for a new sign-in: nothing from before it survives (no fixation)."""
    session.clear()
    token = sessions.start(user, remember, request.user_agent.string, request.remote_addr)
    login_user(user, remember=remember)
    session[USER_KEY] = sessions.cookie_value(user.id, token)
    session.permanent = True
    service.record_login(user)  # commits the session row with the audit entry


def current_token() -> str | None:
    """The session id of this browser's cookie, if it holds one."""
    parsed = sessions.parse_cookie_value(session.get(USER_KEY))
    return parsed[1] if parsed else None


def current_record():
    """The row of this browser's session (set when the request's user was loaded)."""
    return g.get("pen_session")


def end() -> None:
    """Sign this browser out: its row goes (every copy of the cookie dies), then the
    cookies themselves, the "keep me signed in" one included."""
    token = current_token()
    if token:
        sessions.end_token(token)
    logout_user()
    session.clear()
    session["_remember"] = "clear"  # Flask-Login deletes the remember cookie after this


# --- The second step -----------------------------------------------------------

CHALLENGE_KEY = "pen_2fa"
CHALLENGE_SECONDS = 300  # the password was right this long ago at most
DEVICE_COOKIE = "pen_device"


def start_challenge(user: User, remember: bool, next_url: str | None) -> None:
    """The password was right: wait for the second factor (nothing is signed in yet)."""
    session.clear()
    session[CHALLENGE_KEY] = {"user": user.id, "at": int(time.time()),
                              "remember": bool(remember), "next": next_url}


def challenged_user() -> tuple[User, dict] | None:
    """The account waiting for its second step in this browser, and the challenge."""
    pending = session.get(CHALLENGE_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > CHALLENGE_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    return (user, pending) if user is not None and user.is_active else None


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="pen-2fa-device")


def device_token(user: User) -> str | None:
    """The remembered-device token this browser holds for ``user`` (signed cookie)."""
    try:
        value = _device_serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return None
    return value.get("t") if isinstance(value, dict) and value.get("u") == user.id else None


def set_device_cookie(response, user: User, token: str) -> None:
    """Remember this browser for the second step (HttpOnly, SameSite=Lax)."""
    days = int(current_app.config["TWO_FACTOR_REMEMBER_DAYS"])
    response.set_cookie(DEVICE_COOKIE, _device_serializer().dumps({"u": user.id, "t": token}),
                        max_age=days * 86400, httponly=True, samesite="Lax")
