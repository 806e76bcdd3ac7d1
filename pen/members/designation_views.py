"""Designations: the administrators' register and queue, a member's own requests."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm
from ..auth import permissions
from ..auth import service as accounts
from ..errors import ValidationError
from ..extensions import db
from . import designations
from .designation_forms import (
    DecideRequestForm,
    EndDesignationForm,
    RecordDesignationForm,
    RequestDesignationForm,
)
from .views import bp


def _require_admin() -> None:
    """403 for members: the register is the Secretariat's."""
    if not permissions.is_admin(current_user):
        abort(403)


def _register_page(form=None, status: int = 200):
    """The administrators' page: pending requests, the record form, the register."""
    requests = db.paginate(designations.pending_query(), per_page=30, error_out=False)
    recorded = db.paginate(designations.recorded_query(), per_page=50, error_out=False)
    return render_template("members/designations.html", requests=requests, recorded=recorded,
                           form=form or RecordDesignationForm(), today=designations.today(),
                           decide=DecideRequestForm, end_form=EndDesignationForm), status


@bp.get("/designations")
def designations_page():
    """The register of designations and the requests waiting (administrators)."""
    _require_admin()
    return _register_page()


@bp.post("/designations")
def record_designation():
    """Record a designation; a refusal keeps what was typed and says why beside it."""
    _require_admin()
    form = RecordDesignationForm()
    if not form.validate_on_submit():
        return _register_page(form, 400)
    user = accounts.find_by_email(form.email.data)
    try:
        if user is None:
            raise ValidationError(_("No member has this email."), field="email")
        designations.record(current_user, user, form.kind.data, form.country.data or None,
                            form.starts_on.data, form.ends_on.data)
    except ValidationError as exc:
        db.session.rollback()
        getattr(form, exc.field or "email").errors.append(exc.message)
        return _register_page(form, 400)
    flash(_("Designation recorded."), "success")
    return redirect(url_for(".designations_page"))


@bp.route("/designations/<int:designation_id>/end", methods=["GET", "POST"])
def end_designation(designation_id: int):
    """End a designation on a date (today unless the form gives one), once confirmed."""
    _require_admin()
    found = designations.get_or_404(designation_id)
    page = confirm.ask(
        _("End the designation of %(name)s?", name=found.user.display_name),
        _("From that day they are no longer recorded in this role, and their profile "
          "stops showing it unless another designation backs it."),
        url_for(".designations_page"), _("End the designation"),
        defaults={"ends_on": designations.today().isoformat()})
    if page is not None:
        return page
    form = EndDesignationForm()
    try:
        if not form.validate_on_submit():
            raise ValidationError(_("Give the date the designation ends."))
        designations.end(current_user, found, form.ends_on.data)
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        flash(_("Designation ended."), "success")
    return redirect(url_for(".designations_page"))


@bp.post("/designations/requests/<int:request_id>")
def decide_request(request_id: int):
    """Approve (recording the designation) or decline a member's request."""
    _require_admin()
    found = designations.get_request_or_404(request_id)
    form = DecideRequestForm()
    try:
        if request.form.get("action") == "approve":
            designations.approve(current_user, found, form.country.data or None,
                                 form.starts_on.data, form.ends_on.data)
            flash(_("Request approved; the designation is recorded."), "success")
        else:
            designations.decline(current_user, found, form.note.data or "")
            flash(_("Request declined; the member is told why."), "success")
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    return redirect(url_for(".designations_page"))


@bp.route("/me/designations", methods=["GET", "POST"])
def my_designations():
    """A member's designations and requests, and the form to ask for one."""
    form = RequestDesignationForm()
    if form.validate_on_submit():
        try:
            designations.request_designation(current_user, form.kind.data,
                                             form.country.data or None, form.justification.data)
        except ValidationError as exc:
            db.session.rollback()
            getattr(form, exc.field or "justification").errors.append(exc.message)
        else:
            flash(_("Your request is sent to the Secretariat."), "success")
            return redirect(url_for(".my_designations"))
    status = 400 if form.errors else 200
    return render_template("members/my_designations.html", form=form,
                           held=designations.of_member(current_user.id),
                           requests=designations.requests_of(current_user.id),
                           today=designations.today()), status
