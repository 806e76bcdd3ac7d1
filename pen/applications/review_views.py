"""The Secretariat's queue: the applications, one application, and the decisions.

For reviewers only (``can_review_applications``): the queue answers 403 to other
members, as the other administration pages do; an application answers 404, as
if it did not exist (it is someone's personal data).
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit, confirm
from ..errors import ValidationError
from ..extensions import db
from ..members import countries
from ..members.vocabulary import CONVENTION_ROLE_LABELS, LANGUAGES, ORGANISATION_TYPE_LABELS
from ..onboarding import cohorts
from . import review
from .forms import STATUS_LABELS, ApproveForm, MessageForm, QueueFilterForm
from .models import WAITING, Application
from .permissions import can_review_applications

bp = Blueprint("application_review", __name__, url_prefix="/admin/applications")
PER_PAGE = 50


@bp.context_processor
def _names() -> dict:
    """Labels and names the queue's templates print."""
    return {"status_labels": STATUS_LABELS, "country_name": countries.name,
            "organisation_types": ORGANISATION_TYPE_LABELS,
            "convention_roles": CONVENTION_ROLE_LABELS,
            "language_names": LANGUAGES}


@bp.get("/")
def queue():
    """Confirmed applications, filtered by status, country, organisation type, flag."""
    if not can_review_applications(current_user):
        abort(403)
    filters = (QueueFilterForm(request.args) if request.args
               else QueueFilterForm(data={"status": WAITING}))  # first visit: what waits
    query = review.queue_query(filters.status.data or None, filters.country.data or None,
                               filters.organisation_type.data or None, filters.flagged.data)
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("applications/queue.html", page=page, filters=filters,
                           counts=review.counts())


def _approve_form() -> ApproveForm:
    """The approval form, its cohorts listed (test group first)."""
    form = ApproveForm()
    form.cohort.choices = [("", _("No cohort")), *((c.slug, c.shown_name)
                                                   for c, _size in cohorts.with_sizes())]
    return form


def _detail(application: Application, approve_form=None, decline_form=None, ask_form=None,
            status: int = 200):
    """The application's page, with the forms as sent where one was refused."""
    entries = audit.for_target(application)
    return render_template(
        "applications/detail.html", application=application, matches=review.matches(application),
        approve_form=approve_form or _approve_form(),
        decline_form=decline_form or MessageForm(prefix="decline"),
        ask_form=ask_form or MessageForm(prefix="ask"),
        entries=entries, actors=audit.actor_names(entries), expertise=review.expertise_of(
            application), groups=review.group_names(application)), status


@bp.get("/<int:application_id>")
def detail(application_id: int):
    """One application: what the applicant wrote, possible duplicates, the exchange, history."""
    return _detail(review.get_for(current_user, application_id))


def _done(application: Application, message: str):
    """Back to the application, saying what was done."""
    flash(message, "success")
    return redirect(url_for(".detail", application_id=application.id))


@bp.post("/<int:application_id>/approve")
def approve(application_id: int):
    """Create the invited account; the invitation goes out."""
    application = review.get_for(current_user, application_id)
    form = _approve_form()
    cohort = cohorts.find_cohort(form.cohort.data) if form.cohort.data else None
    if form.cohort.data and cohort is None:
        form.cohort.errors = [_("Choose a cohort from the list.")]
    elif form.validate_on_submit():
        try:
            review.approve(current_user, application, cohort)
        except ValidationError as exc:
            flash(exc.message, "danger")
        else:
            return _done(application, _("Approved: the invitation to %(email)s is on its way.",
                                        email=application.email))
    return _detail(application, approve_form=form, status=400)


def _message_decision(application_id: int, prefix: str, action, done_message,
                      question=None):
    """Decline or ask (``action``), with the reviewer's message to the applicant; the page
    again with the message as typed when it is refused. ``question(application)`` asks
    for confirmation first (None once confirmed)."""
    application = review.get_for(current_user, application_id)
    form = MessageForm(prefix=prefix)
    if form.validate_on_submit():
        page = question(application) if question else None
        if page is not None:
            return page
        try:
            action(current_user, application, form.message.data)
        except ValidationError as exc:
            form.message.errors = [exc.message]
        else:
            return _done(application, done_message())
    return _detail(application, status=400, **{f"{prefix}_form": form})


def _confirm_decline(application: Application):
    """The question before a decline, which cannot be undone."""
    return confirm.ask(
        _("Decline the application of %(name)s?", name=application.name),
        _("The applicant receives your message and cannot sign in; this cannot be "
          "undone."), url_for(".detail", application_id=application.id),
        _("Decline the application"))


@bp.post("/<int:application_id>/decline")
def decline(application_id: int):
    """Decline, with a message to the applicant, once confirmed."""
    return _message_decision(application_id, "decline", review.decline,
                             lambda: _("Declined; the applicant has been told."),
                             question=_confirm_decline)


@bp.post("/<int:application_id>/ask")
def ask(application_id: int):
    """Ask the applicant for more information."""
    return _message_decision(application_id, "ask", review.ask,
                             lambda: _("Your question has been sent to the applicant."))
