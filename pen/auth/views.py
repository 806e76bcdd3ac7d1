"""Sign in and out, reset a forgotten password, change one's password."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm
from ..errors import ValidationError
from ..extensions import limiter
from . import service, sessions, signin, twofactor
from .access import public, safe_next
from .forms import ChangePasswordForm, LoginForm, NewPasswordForm, ResetRequestForm
from .models import UserStatus

bp = Blueprint("auth", __name__, url_prefix="/auth")
#: the short addresses people type, outside ``/auth``
shortcuts = Blueprint("auth_shortcuts", __name__)


def _account_key() -> str:
    """Rate-limit key for the account being tried, whatever the caller's address."""
    return "login:" + service.normalize_email(request.form.get("email", ""))


def _limit(name: str):
    return lambda: current_app.config[name]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_limit("LOGIN_LIMIT_PER_ADDRESS"), methods=["POST"])
@limiter.limit(_limit("LOGIN_LIMIT_PER_ACCOUNT"), methods=["POST"], key_func=_account_key)
@public
def login():
    """Show the sign-in form; on success start a fresh session and go where asked."""
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("home.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form, next=next_url)
    user = service.authenticate(form.email.data, form.password.data)
    if user is None or user.status == UserStatus.INVITED:
        form.password.errors.append(_("Wrong email or password."))
        return render_template("auth/login.html", form=form, next=next_url), 200
    if user.status == UserStatus.SUSPENDED:
        form.email.errors.append(_("This account is suspended. Please write to the Secretariat."))
        return render_template("auth/login.html", form=form, next=next_url), 200
    if twofactor.is_enrolled(user) and not twofactor.device_is_remembered(
            user, signin.device_token(user)):
        signin.start_challenge(user, form.remember.data, next_url)
        return redirect(url_for("auth.challenge"))
    signin.begin(user, form.remember.data)
    return redirect(next_url or url_for("home.index"))


@shortcuts.get("/login")
@public
def login_shortcut():
    """``/login``, the address people type: the sign-in page (``next`` kept)."""
    return redirect(url_for("auth.login", **request.args.to_dict()))


@bp.post("/logout")
def logout():
    """End this session, on the server: a copy of the cookie no longer works either."""
    signin.end()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_limit("LOGIN_LIMIT_PER_ADDRESS"), methods=["POST"])
@public
def request_reset():
    """Ask for a reset link; the answer is the same whether the account exists or not."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        service.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    """Choose a new password through a mailed link; a spent link says so."""
    if service.usable_reset_token(token) is None:
        return render_template("auth/reset_invalid.html", form=ResetRequestForm()), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            service.reset_password(token, form.password.data)
        except ValidationError as exc:
            form.password.errors.append(exc.message)
        else:
            flash(_("Your password is changed. Please sign in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    """Change one's password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current_password.data, form.password.data,
                                    keep=signin.current_token())
        except ValidationError as exc:
            getattr(form, exc.field or "password").errors.append(exc.message)
        else:
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


@bp.get("/sessions")
def sessions_page():
    """Where you're signed in: each session's device, address and when it was last used."""
    current = signin.current_record()
    return render_template("auth/sessions.html", rows=sessions.of_user(current_user),
                           current_id=current.id if current else None,
                           device=sessions.device)


@bp.route("/sessions/<int:session_id>/end", methods=["GET", "POST"])
def end_session(session_id: int):
    """Sign out one session, once confirmed (another account's is 404, nothing changes)."""
    record = sessions.own_or_404(current_user, session_id)
    page = confirm.ask(
        _("Sign out %(device)s?", device=sessions.device(record.user_agent)),
        _("Whoever uses that browser or device must sign in again."),
        url_for(".sessions_page"), _("Sign out"))
    if page is not None:
        return page
    sessions.end_one(current_user, session_id)
    flash(_("That session is signed out."), "success")
    return redirect(url_for(".sessions_page"))


@bp.route("/sessions/end-others", methods=["GET", "POST"])
def end_other_sessions():
    """Sign out everywhere but here, once confirmed."""
    page = confirm.ask(
        _("Sign out everywhere else?"),
        _("Every other browser and device where you are signed in must sign in again; "
          "this one stays signed in."), url_for(".sessions_page"),
        _("Sign out everywhere else"))
    if page is not None:
        return page
    ended = sessions.end_others(current_user, keep=signin.current_token())
    flash(_("Signed out everywhere else (%(count)d sessions).", count=ended), "success")
    return redirect(url_for(".sessions_page"))
