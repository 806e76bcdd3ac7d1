"""The second step of signing in, and setting it up, on the auth blueprint."""

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from ..extensions import db, limiter
from . import signin, twofactor
from .access import public
from .twofactor_forms import CodeForm, ConfirmForm, PasswordConfirmForm
from .views import bp


def _challenge_key() -> str:
    """Rate-limit key: the account waiting for its code, whatever the address."""
    pending = signin.challenged_user()
    return f"2fa:{pending[0].id}" if pending else "2fa:none"


def _no_challenge() -> bool:
    """Without a pending challenge a POST is only sent back to sign in: not counted."""
    return signin.challenged_user() is None


def _setup_key() -> str:
    """Rate-limit key of the enrolment and password forms: the signed-in account."""
    return f"2fa-setup:{getattr(current_user, 'id', None)}"


ENROLLING = "pen_2fa_enrolling"  # the secret being set up, in the signed session


def _limit():
    return current_app.config["TWO_FACTOR_LIMIT"]


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_challenge_key, exempt_when=_no_challenge)
@public
def challenge():
    """Ask for the code after a right password; a wrong or replayed code is refused."""
    found = signin.challenged_user()
    if found is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for(".login"))
    user, pending = found
    form = CodeForm()
    days = int(current_app.config["TWO_FACTOR_REMEMBER_DAYS"])
    if form.validate_on_submit():
        try:
            twofactor.verify(user, form.code.data)
        except ValidationError as exc:
            form.code.errors.append(exc.message)
        else:
            return _finish(user, pending, form.remember_device.data)
    status = 400 if form.errors else 200
    return render_template("auth/two_factor.html", form=form, days=days), status


def _finish(user, pending: dict, remember_device: bool):
    """Sign in for real; remember the browser if asked."""
    signin.begin(user, pending.get("remember", False))
    response = redirect(pending.get("next") or url_for("home.index"))
    if remember_device:
        token = twofactor.remember_device(user, request.user_agent.string)
        signin.set_device_cookie(response, user, token)
    return response


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_setup_key)
def setup():
    """Enrol (QR code, the secret as text, a first code), or manage it once on."""
    if twofactor.is_enrolled(current_user):
        return render_template("auth/two_factor_manage.html", form=PasswordConfirmForm(),
                               left=twofactor.recovery_codes_left(current_user),
                               required=twofactor.is_required(current_user))
    secret = session.setdefault(ENROLLING, twofactor.new_secret())
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.confirm(current_user, secret, form.code.data)
        except ValidationError as exc:
            db.session.rollback()
            form.code.errors.append(exc.message)
        else:
            session.pop(ENROLLING, None)
            return _show_codes(codes)
    uri = twofactor.provisioning_uri(current_user, secret)
    return render_template("auth/two_factor_setup.html", form=form,
                           qr=twofactor.qr_data_uri(uri), secret=twofactor.grouped(secret),
                           required=twofactor.is_required(current_user)), \
        400 if form.errors else 200


@bp.post("/two-factor/recovery-codes")
@limiter.limit(_limit, key_func=_setup_key)
def new_recovery_codes():
    """New recovery codes after the password; the old ones stop working."""
    form = PasswordConfirmForm()
    try:
        codes = twofactor.regenerate_recovery_codes(current_user, form.password.data or "")
    except ValidationError as exc:
        flash(exc.message, "danger")
        return redirect(url_for(".setup"))
    return _show_codes(codes)


def _show_codes(codes: list[str]):
    """The recovery codes, once, never kept by a cache."""
    response = make_response(render_template("auth/recovery_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/two-factor/disable")
@limiter.limit(_limit, key_func=_setup_key)
def disable():
    """Turn the second step off (not for roles that require it)."""
    form = PasswordConfirmForm()
    try:
        twofactor.disable(current_user, form.password.data or "")
    except ValidationError as exc:
        flash(exc.message, "danger")
        return redirect(url_for(".setup"))
    flash(_("Two-step sign-in is off."), "success")
    return redirect(url_for(".setup"))
