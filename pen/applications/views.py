"""Public pages: what PEN is and the application form, confirming the email, answering.

Every page here is public (reachable signed-out, also in pilot mode). Sending
the form is limited per address (``APPLICATION_LIMIT_PER_ADDRESS``), carries
a signed time stamp (too fast is refused) and a honeypot field.
"""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from ..auth.access import public
from ..errors import ValidationError
from ..extensions import limiter
from ..types import utcnow
from . import service
from .forms import AnswerForm, ApplyForm, ConfirmForm
from .models import INFO_REQUESTED, UNCONFIRMED

bp = Blueprint("applications", __name__, url_prefix="/apply")


def _apply_limit():
    """How many forms one address may send (a setting)."""
    return current_app.config["APPLICATION_LIMIT_PER_ADDRESS"]


def _link_limit():
    """How many times one address may use links, as for signing in."""
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _place_error(form, exc: ValidationError) -> str | None:
    """Put the service's complaint beside its field; return it if no field fits."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        return exc.message
    field.errors = [*field.errors, exc.message]
    return None


def _refused(form: ApplyForm) -> str | None:
    """Why the form is refused before its answers are even read: robots' signs."""
    if form.website.data:
        form.website.data = ""
        return _("The form could not be sent: a field meant to stay empty was filled in "
                 "(sometimes a browser does this by itself). Please send it again.")
    try:
        service.check_stamp(form.stamp.data, utcnow())
    except ValidationError as exc:
        form.stamp.data = service.form_stamp(utcnow())
        return exc.message
    return None


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(_apply_limit, methods=["POST"])
@public
def apply():
    """What PEN is, and the application; answers are kept whatever goes wrong."""
    form = ApplyForm()
    if request.method == "GET":
        form.stamp.data = service.form_stamp(utcnow())
        return render_template("applications/apply.html", form=form, error=None)
    error = _refused(form)
    if form.validate_on_submit() and error is None:
        try:
            service.submit(form.submission())
        except ValidationError as exc:
            error = _place_error(form, exc)
        else:
            return render_template("applications/sent.html", email=form.email.data.strip())
    return render_template("applications/apply.html", form=form, error=error), 400


def _invalid_link():
    """One answer for every link that cannot be used, whatever the reason."""
    return render_template("applications/invalid.html"), 410


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(_link_limit, methods=["POST"])
@public
def confirm(token: str):
    """Confirm the email with a button (mail scanners open links, they do not press)."""
    if service.by_token(token, UNCONFIRMED) is None:
        return _invalid_link()
    form = ConfirmForm()
    if form.validate_on_submit():
        application = service.confirm(token)
        return render_template("applications/confirmed.html", application=application)
    return render_template("applications/confirm.html", form=form)


@bp.route("/answer/<token>", methods=["GET", "POST"])
@limiter.limit(_link_limit, methods=["POST"])
@public
def answer(token: str):
    """The Secretariat's question and the applicant's answer."""
    application = service.by_token(token, INFO_REQUESTED)
    if application is None:
        return _invalid_link()
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            service.answer(token, form.answer.data)
        except ValidationError as exc:
            _place_error(form, exc)
        else:
            return render_template("applications/answered.html")
    status = 400 if request.method == "POST" else 200
    return render_template("applications/answer.html", form=form, application=application,
                           question=application.messages[-1]), status
