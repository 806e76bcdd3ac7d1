"""Sign in and out, reset a forgotten password, change one's password."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..errors import ValidationError
from ..extensions import limiter
from . import service
from .access import public, safe_next
from .forms import ChangePasswordForm, LoginForm, NewPasswordForm, ResetRequestForm
from .models import UserStatus

bp = Blueprint("auth", __name__, url_prefix="/auth")


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
    _start_session(user, form.remember.data)
    return redirect(next_url or url_for("home.index"))


def _start_session(user, remember: bool) -> None:
    """A new session for a new sign-in: nothing from before it survives (no fixation)."""
    session.clear()
    login_user(user, remember=remember)
    session.permanent = True
    service.record_login(user)


@bp.post("/logout")
def logout():
    """End this session."""
    logout_user()
    session.clear()
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
            service.change_password(current_user, form.current_password.data, form.password.data)
        except ValidationError as exc:
            getattr(form, exc.field or "password").errors.append(exc.message)
        else:
            login_user(current_user._get_current_object())  # this session holds the new nonce
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)
