"""Server-side sessions: every signed-in browser is a row, and ending it signs it out.

The signed session cookie (and Flask-Login's "keep me signed in" cookie) carry
``<user id>:<random session id>``; only the id's digest is stored. Each request
finds its row: missing, belonging to another account, idle too long or older
than the absolute lifetime means signed out. Logout, "sign out everywhere
else", a password change, a suspension or a role change delete rows, so a copy of
the cookie made before stops working too.
"""

import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from .. import audit
from ..errors import NotFound
from ..extensions import db
from ..tokens import digest, new_token
from ..types import utcnow
from . import loading
from .models import RememberedDevice, User, UserSession

TOUCH_SECONDS = 60  # "last seen" is written at most once a minute per session


def now() -> datetime:
    """The current moment (a function, so tests can move the clock)."""
    return utcnow()


def start(user: User, remember: bool, user_agent: str = "", address: str = "") -> str:
    """A new session row for ``user``; returns the random id for the cookie (not stored)."""
    token, token_digest = new_token()
    moment = now()
    db.session.add(UserSession(user_id=user.id, token_digest=token_digest, created_at=moment,
                               last_seen_at=moment, remember=bool(remember),
                               user_agent=(user_agent or "")[:300],
                               address=(address or "")[:64]))
    return token


def cookie_value(user_id: int, token: str) -> str:
    """What the signed cookies hold for a session."""
    return f"{user_id}:{token}"


def parse_cookie_value(value: str | None) -> tuple[int, str] | None:
    """``(user id, session id)`` from a cookie's value, or None if it is not one."""
    user_id, _sep, token = (value or "").partition(":")
    if not user_id.isdigit() or len(token) < 20:
        return None
    return int(user_id), token


def _expired(record: UserSession, moment: datetime) -> bool:
    """Idle too long (longer when "keep me signed in" was ticked), or too old."""
    cfg = current_app.config
    idle = (timedelta(days=int(cfg["REMEMBER_DAYS"])) if record.remember
            else timedelta(minutes=int(cfg["SESSION_IDLE_MINUTES"])))
    oldest = timedelta(days=int(cfg["SESSION_MAX_DAYS"]))
    return moment - record.last_seen_at > idle or moment - record.created_at > oldest


def check(user_id: int, token: str) -> tuple[UserSession, User] | None:
    """The live session row for this cookie and its account (roles and the registered
    riders read in the same statement), or None: unknown, another account's (refused),
    or expired (then deleted)."""
    found = loading.load(user_id, token)
    if found is None:
        return None
    record, _user = found
    if _expired(record, now()):
        db.session.delete(record)
        db.session.commit()
        return None
    return found


def touch(record: UserSession, address: str | None) -> bool:
    """Note the session was used, at most once a minute (so pages rarely write); True
    when it was noted now."""
    moment = now()
    if (moment - record.last_seen_at).total_seconds() < TOUCH_SECONDS:
        return False
    if db.session.new or db.session.dirty or db.session.deleted:
        return False  # never commit someone else's half-done work; the next request will
    record.last_seen_at, record.address = moment, (address or record.address)[:64]
    db.session.commit()
    return True


def of_user(user: User) -> list[UserSession]:
    """A member's sessions, most recently used first."""
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                   .order_by(UserSession.last_seen_at.desc(),
                                             UserSession.id.desc())))


def end_token(token: str) -> None:
    """Sign out the session of this cookie (logout)."""
    db.session.execute(delete(UserSession).where(UserSession.token_digest == digest(token)))
    db.session.commit()


def own_or_404(user: User, session_id: int) -> UserSession:
    """One of ``user``'s own sessions; another account's (or none) is NotFound."""
    record = db.session.get(UserSession, session_id)
    if record is None or record.user_id != user.id:
        raise NotFound(_("There is no such session of yours."))
    return record


def end_one(user: User, session_id: int) -> None:
    """Sign out one of ``user``'s own sessions; another account's answers 404, unchanged."""
    record = own_or_404(user, session_id)
    db.session.delete(record)
    audit.record(user, "auth.session_ended", user, device=device(record.user_agent))
    db.session.commit()


def end_all(user: User, keep: str | None = None) -> int:
    """Delete every session of ``user`` but the one whose id is ``keep``, and every device
    remembered for the second step; in the caller's transaction. How many sessions ended."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        stmt = stmt.where(UserSession.token_digest != digest(keep))
    db.session.execute(delete(RememberedDevice).where(RememberedDevice.user_id == user.id))
    return db.session.execute(stmt).rowcount or 0


def end_others(user: User, keep: str) -> int:
    """"Sign out everywhere else": audited, committed."""
    ended = end_all(user, keep=keep)
    audit.record(user, "auth.sessions_ended", user, count=ended)
    db.session.commit()
    return ended


def purge_expired() -> int:
    """Worker task: delete sessions past their absolute lifetime or idle for longer than
    the longest idle allowance."""
    cfg, moment = current_app.config, now()
    oldest = moment - timedelta(days=int(cfg["SESSION_MAX_DAYS"]))
    idle = moment - timedelta(days=max(int(cfg["REMEMBER_DAYS"]), 1))
    short = moment - timedelta(minutes=int(cfg["SESSION_IDLE_MINUTES"]))
    result = db.session.execute(delete(UserSession).where(
        (UserSession.created_at < oldest) | (UserSession.last_seen_at < idle)
        | (~UserSession.remember & (UserSession.last_seen_at < short))))
    db.session.execute(delete(RememberedDevice).where(RememberedDevice.expires_at < moment))
    db.session.commit()
    return result.rowcount or 0


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))


def device(user_agent: str) -> str:
    """A short name for a browser from its User-Agent: "Firefox on Windows"."""
    agent = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser or system:
        return browser or system
    found = re.match(r"[\w./-]+", agent)
    return found.group(0)[:40] if found else _("Unknown device")
