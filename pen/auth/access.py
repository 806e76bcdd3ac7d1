"""Deny by default: every endpoint needs an active member unless marked public."""

from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import worker
from ..extensions import login_manager
from . import sessions, twofactor
from .models import User

PUBLIC_ATTRIBUTE = "pen_public"
ALWAYS_PUBLIC_ENDPOINTS = {"static"}


def public(view):
    """Mark a view as reachable without logging in (login, reset, invitations, health)."""
    setattr(view, PUBLIC_ATTRIBUTE, True)
    return view


def is_public_endpoint(endpoint: str | None) -> bool:
    """True for endpoints marked ``@public`` and for static files."""
    if endpoint is None or endpoint in ALWAYS_PUBLIC_ENDPOINTS:
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, PUBLIC_ATTRIBUTE, False))


def require_member():
    """``before_request``: send anonymous visitors to the login page, with a way back."""
    if is_public_endpoint(request.endpoint) or current_user.is_authenticated:
        return None
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.login", next=safe_next(target)))


ENROLMENT_ENDPOINTS = {"auth.setup", "auth.logout", "members.set_language"}


def require_enrolment():
    """``before_request``: a member whose role requires two-step sign-in and who has not
    set it up yet may only set it up (or sign out)."""
    if (is_public_endpoint(request.endpoint) or request.endpoint in ENROLMENT_ENDPOINTS
            or not current_user.is_authenticated):
        return None
    if twofactor.is_required(current_user) and not twofactor.is_enrolled(current_user):
        return redirect(url_for("auth.setup"))
    return None


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Refuses ``//host``, ``/\\host``, ``http:host``, ``javascript:``, and anything
    with control characters or backslashes that browsers would reinterpret.
    """
    if not target or "\\" in target or any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target.removesuffix("?") or "/"


@login_manager.user_loader
def load_user(value: str) -> User | None:
    """The session's account, if its server-side session lives (not ended, not expired,
    not another account's) and the account is active. Asked on every signed-in request,
    from the session cookie or the "keep me signed in" cookie alike."""
    parsed = sessions.parse_cookie_value(value)
    if parsed is None:
        return None
    found = sessions.check(*parsed)  # the session, the account, its roles: one statement
    if found is None:
        return None
    record, user = found
    if not user.is_active:
        return None
    g.pen_session = record
    if sessions.touch(record, request.remote_addr):
        session.modified = True  # the cookie's expiry moves with the row's "last seen"
    return user


def register(app: Flask) -> None:
    """Wire Flask-Login and the deny-by-default check into the app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "basic"
    app.before_request(require_member)
    app.before_request(require_enrolment)
    worker.register_task(app, "sessions", sessions.purge_expired)
