"""Registering and cancelling, the OCP endorsement queue, the organiser's list and CSV."""

import csv
import io

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm
from ..auth.permissions import is_admin
from ..errors import ValidationError
from ..extensions import db
from ..members.countries import name as country_name
from ..spreadsheet import safe_cell
from . import permissions, registration, service
from .forms import STATUS_LABELS, RegisterForm
from .views import bp


@bp.post("/events/<int:event_id>/register")
def register(event_id: int):
    """Register the member (pending endorsement, confirmed or on the waiting list)."""
    event = service.get_visible_or_404(current_user, event_id)
    form = RegisterForm()
    if not form.validate_on_submit():
        flash(_("The note is too long."), "danger")
        return redirect(url_for(".show", event_id=event.id))
    try:
        found = registration.register(current_user, event, form.note.data or "")
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for(".show", event_id=event.id))
    flash(_("Your registration: %(status)s.", status=STATUS_LABELS[found.status]), "success")
    return redirect(url_for(".show", event_id=event.id))


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel(event_id: int):
    """Withdraw the member's registration (once confirmed); a freed place goes to the
    waiting list."""
    event = service.get_visible_or_404(current_user, event_id)
    mine = registration.registration_of(current_user, event)
    if mine is not None and mine.status in registration.ACTIVE_STATUSES:
        page = confirm.ask(
            _("Cancel your registration for %(title)s?", title=event.title),
            _("Your place goes to the first on the waiting list; registering again puts "
              "you at the end of it."),
            url_for(".show", event_id=event.id), _("Cancel my registration"))
        if page is not None:
            return page
    try:
        if mine is None:
            raise ValidationError(_("You are not registered for this event."))
        registration.cancel(current_user, mine)
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for(".show", event_id=event.id))
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for(".show", event_id=event.id))


@bp.get("/events/queue")
def queue():
    """The registrations an official contact point endorses or declines."""
    page = db.paginate(registration.queue_query(current_user), per_page=30, error_out=False)
    names = [country_name(code) for code in permissions.ocp_countries(current_user)]
    return render_template("events/queue.html", page=page, countries=", ".join(names),
                           secretariat=is_admin(current_user))


def _decide(registration_id: int, action) -> Response:
    """Endorse or decline, then back to the queue with what happened."""
    found = registration.get_registration_or_404(registration_id)
    try:
        action(current_user, found)
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for(".queue"))
    flash(_("%(member)s: %(status)s.", member=found.user.display_name,
            status=STATUS_LABELS[found.status]), "success")
    return redirect(url_for(".queue"))


@bp.post("/events/registrations/<int:registration_id>/endorse")
def endorse(registration_id: int):
    """Endorse a registration from the member's country (403 for another country)."""
    return _decide(registration_id, registration.endorse)


@bp.route("/events/registrations/<int:registration_id>/decline", methods=["GET", "POST"])
def decline(registration_id: int):
    """Decline a registration from the member's country (403 for another country), once
    confirmed."""
    found = registration.get_registration_or_404(registration_id)
    try:
        registration.check_endorser(current_user, found)
    except ValidationError as exc:
        flash(exc.message, "danger")
        return redirect(url_for(".queue"))
    page = confirm.ask(
        _("Decline the registration of %(member)s for %(title)s?",
          member=found.user.display_name, title=found.event.title),
        _("The member is told by email that their country's official contact point "
          "declined it."), url_for(".queue"), _("Decline the registration"))
    return page or _decide(registration_id, registration.decline)


@bp.get("/events/<int:event_id>/registrations")
def roster(event_id: int):
    """The organiser's list: places, waiting list, pending endorsements."""
    event = service.get_managed(current_user, event_id)
    return render_template("events/registrations.html", event=event,
                           rows=registration.roster(event), statuses=STATUS_LABELS,
                           taken=registration.confirmed_count(event))


@bp.get("/events/<int:event_id>/registrations.csv")
def roster_csv(event_id: int):
    """The list as CSV (UTF-8 with BOM; cells that look like formulas are neutralised)."""
    event = service.get_managed(current_user, event_id)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["name", "email", "country", "status", "registered_at", "note"])
    for row in registration.roster(event):
        writer.writerow([safe_cell(row.user.display_name), safe_cell(row.user.email),
                         country_name(row.country) if row.country else "", row.status,
                         row.created_at.isoformat(timespec="minutes"), safe_cell(row.note)])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="event-{event.id}-registrations.csv"',
        "Cache-Control": "private, no-store"})
