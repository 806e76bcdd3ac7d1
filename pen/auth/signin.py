"""Starting and ending the browser's session: the glue between the cookie and the rows.

Flask-Login keeps ``_user_id`` in the signed session cookie and copies it into the
"keep me signed in" cookie; here that value is ``<user id>:<session id>``, so both
cookies die with the session's row (see ``sessions``).
"""

from flask import g, request, session
from flask_login import login_user, logout_user

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
