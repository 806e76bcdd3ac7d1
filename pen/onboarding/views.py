"""Accepting an invitation, asking for a new one, and the welcome checklist."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import signin
from ..auth.access import public
from ..errors import ValidationError
from ..extensions import limiter
from . import checklist, service
from .forms import AcceptForm, RenewForm, accept_form_values

bp = Blueprint("onboarding", __name__)


def _address_limit():
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _invalid_link():
    """The one answer for every link that cannot be used: no hint of why, or of whose."""
    return render_template("onboarding/invalid.html", form=RenewForm()), 410


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@public
def accept(token: str):
    """Choose a password, confirm the profile, and come in."""
    invitation = service.usable_invitation(token)
    if invitation is None:
        return _invalid_link()
    profile = service.invitation_profile(invitation)
    form = AcceptForm(data=None if request.method == "POST" else accept_form_values(profile))
    error = None
    if form.validate_on_submit():
        try:
            user = service.accept(token, form.joining())
        except ValidationError as exc:
            error = _place_error(form, exc)
        else:
            _start_session(user)
            return redirect(url_for(".welcome"))
    status = 400 if request.method == "POST" else 200
    return render_template("onboarding/accept.html", form=form, user=invitation.user,
                           error=error), status


def _place_error(form: AcceptForm, exc: ValidationError) -> str | None:
    """Put the service's complaint beside its field; return it if no field of ours fits."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        return exc.message
    field.errors.append(exc.message)
    return None


def _start_session(user) -> None:
    """A fresh session for the member who just joined (nothing from before survives)."""
    signin.begin(user)


@bp.route("/invite/renew", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@public
def renew():
    """Ask for a new invitation; the answer is the same whoever the email belongs to."""
    form = RenewForm()
    if form.validate_on_submit():
        service.request_new_invitation(form.email.data)
        return render_template("onboarding/renew_sent.html", email=form.email.data)
    status = 400 if request.method == "POST" else 200
    return render_template("onboarding/renew.html", form=form), status


@bp.get("/welcome")
def welcome():
    """What to do first in the network."""
    return render_template("onboarding/welcome.html", steps=checklist.steps_for(current_user))
