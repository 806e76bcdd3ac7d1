"""Reporting a message, and the administrators' queue of reported messages."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from ..extensions import db
from . import reading, reports
from .forms import ReportForm
from .views import bp, message_or_404


@bp.route("/m/<int:message_id>/report", methods=["GET", "POST"])
def report(message_id: int):
    """Report a message to the administrators, saying why."""
    found = message_or_404(message_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            reports.report(current_user, found, form.reason.data)
        except ValidationError as exc:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, exc.message]
        else:
            flash(_("Thank you: the administrators will look at this message."), "success")
            return redirect(url_for(".message_link", message_id=found.id))
    return render_template("messages/report.html", message=found, form=form), (
        400 if form.errors else 200)


@bp.get("/reports")
def report_queue():
    """Administrators: open reports, oldest first (404 to others)."""
    page = max(1, request.args.get("page", 1, type=int) or 1)
    return render_template("messages/reports.html",
                           pagination=reports.open_reports(current_user, page))


@bp.get("/reports/<int:report_id>")
def report_detail(report_id: int):
    """Administrators: the reported message with a few messages around it, nothing more."""
    found = reports.report_for(current_user, report_id)
    return render_template("messages/report_detail.html", report=found,
                           context=reading.around(found.message))


@bp.post("/reports/<int:report_id>/close")
def close_report(report_id: int):
    """Administrators: close a handled report."""
    reports.close(current_user, reports.report_for(current_user, report_id))
    flash(_("The report was closed."), "success")
    return redirect(url_for(".report_queue"))
