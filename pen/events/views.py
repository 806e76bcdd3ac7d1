"""The calendar (month and list), event pages, .ics files and feeds, organisers' forms."""

from zoneinfo import available_timezones

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import confirm
from ..auth.access import public, safe_next
from ..auth.permissions import is_admin
from ..errors import ValidationError
from ..extensions import db
from ..groups import permissions as group_permissions
from ..groups import pickers
from ..groups.models import Group
from ..members.countries import REGIONS
from ..members.service import member_zone
from ..notifications import feedkeys
from ..types import utcnow
from . import calendar, ical, permissions, registration, service, session_rows, times
from .forms import (
    AUDIENCE_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    EventForm,
    RegisterForm,
    fields_from,
    form_values,
    group_choices,
)

bp = Blueprint("events", __name__)
MATERIALS = "materials"  # the form's document picker


def _filter_context(filters: calendar.Filters) -> dict:
    """What the filter form needs."""
    return {"filters": filters, "kinds": KIND_LABELS, "regions": REGIONS,
            "groups": calendar.group_options(current_user)}


@bp.get("/events/")
def index():
    """The month view, in the member's time zone (or UTC)."""
    filters = calendar.Filters.from_args(request.args)
    year, month = calendar.parse_month(request.args.get("month"),
                                       calendar.display_zone(current_user))
    view = calendar.month_view(current_user, year, month, filters)
    return render_template("events/month.html", view=view,
                           zone=calendar.display_zone(current_user).key,
                           feed_token=feedkeys.token_for(current_user),
                           **_filter_context(filters))


@bp.get("/events/list")
def event_list():
    """Upcoming events soonest first, or past ones (with their materials) latest first."""
    filters = calendar.Filters.from_args(request.args)
    past = request.args.get("when") == "past"
    page = db.paginate(calendar.list_query(current_user, filters, past),
                       per_page=calendar.LIST_PAGE_SIZE, error_out=False)
    materials = {e.id: service.materials_of(current_user, e) for e in page.items} if past else {}
    return render_template("events/list.html", page=page, past=past, materials=materials,
                           **_filter_context(filters))


@bp.get("/events/<int:event_id>")
def show(event_id: int):
    """An event: its sessions in its zone and the member's, registration, materials."""
    event = service.get_visible_or_404(current_user, event_id)
    group = db.session.get(Group, event.group_id) if event.group_id else None
    return render_template(
        "events/show.html", event=event, group=group,
        materials=service.materials_of(current_user, event),
        mine=registration.registration_of(current_user, event),
        taken=registration.confirmed_count(event), form=RegisterForm(),
        registration_open=event.starts_at > utcnow(), kinds=KIND_LABELS,
        audience_labels=AUDIENCE_LABELS, status_labels=STATUS_LABELS,
        member_times=[times.for_member(member_zone(current_user), s.starts_at, s.ends_at,
                                       event.timezone) for s in event.sessions])


def _ics(body: bytes, filename: str) -> Response:
    """An .ics response, never cached by shared caches."""
    return Response(body, mimetype="text/calendar",
                    headers={"Cache-Control": "private, no-store",
                             "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/events/<int:event_id>.ics")
def event_ics(event_id: int):
    """One event, every session, for a calendar program."""
    event = service.get_visible_or_404(current_user, event_id)
    return _ics(ical.event_ics(event), f"pen-event-{event.id}.ics")


def _feed_reader():
    """The member a feed is for: the key's owner, or the member signed in; else None."""
    token = request.args.get("key")
    if token is None:
        if current_user.is_authenticated and not feedkeys.may_read_feeds(current_user):
            abort(404)  # outside the test group in pilot mode: no calendar either
        return current_user if current_user.is_authenticated else None
    return feedkeys.user_for_token(token)


@bp.get("/events.ics")
@public
def feed():
    """Every event and group meeting the member may see, for their calendar app."""
    user = _feed_reader()
    if user is None and request.args.get("key") is None:
        return redirect(url_for("auth.login", next=safe_next(request.full_path)))
    if user is None:
        abort(404)
    return _ics(ical.member_feed(user), "pen-events.ics")


@bp.get("/events/groups/<slug>.ics")
@public
def group_feed(slug: str):
    """A thematic group's events and meetings, for its members only."""
    user = _feed_reader()
    if user is None and request.args.get("key") is None:
        return redirect(url_for("auth.login", next=safe_next(request.full_path)))
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if user is None or group is None or not group_permissions.can_see_group_content(user,
                                                                                    group.id):
        abort(404)
    return _ics(ical.group_feed(user, group), f"pen-{group.slug}.ics")


def _event_form(event=None) -> EventForm:
    """The event form, filled from ``event`` on GET, with the groups ``current_user`` may use."""
    form = EventForm(data=form_values(event) if event and request.method == "GET" else None)
    if event is None and request.method == "GET":  # a new event starts on the organiser's clock
        zone = member_zone(current_user)
        form.timezone.data = zone.key if zone else "UTC"
    rows = session_rows.posted_rows() if request.method == "POST" else None
    if rows is not None:  # the rows become the session lines the service reads
        form.sessions.data = session_rows.rows_to_text(rows)
    groups = service.organisable_groups(current_user)
    form.group_id.choices = group_choices(groups, allow_none=is_admin(current_user))
    return form


def _save(form: EventForm, event=None):
    """Validate and save through the service; errors beside their fields."""
    if not form.validate_on_submit():
        return None
    try:
        fields = fields_from(form)
        if event is None:
            return service.create_event(current_user, fields)
        return service.update_event(current_user, event, fields)
    except ValidationError as exc:
        db.session.rollback()
        target = getattr(form, exc.field or "", None) or form.title
        target.errors = [*target.errors, exc.message]
        return None


@bp.route("/events/new", methods=["GET", "POST"])
def new():
    """Organise an event (administrators, and coordinators for their groups)."""
    if not permissions.can_create_event(current_user):
        abort(403)
    form = _event_form()
    saved = _save(form) if _saving() else None
    if saved is not None:
        flash(_("The event is in the calendar."), "success")
        return redirect(url_for(".show", event_id=saved.id))
    return _form_page(form, None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int):
    """Change an event: its organiser and administrators."""
    event = service.get_managed(current_user, event_id)
    form = _event_form(event)
    saved = _save(form, event) if _saving() else None
    if saved is not None:
        flash(_("The event is saved."), "success")
        return redirect(url_for(".show", event_id=event.id))
    return _form_page(form, event)


def _saving() -> bool:
    """A post that saves (not "Add a session", which only adds a row, nor the materials'
    "Search the library", which only lists documents to choose from)."""
    return (request.method == "POST" and session_rows.ADD not in request.form
            and not pickers.searching(MATERIALS))


def _form_page(form: EventForm, event):
    """The event form with its session rows and materials (as typed); 400 after a refused
    save."""
    adding = request.method == "POST" and session_rows.ADD in request.form
    rows = session_rows.rows_to_show(form.sessions.data, session_rows.posted_rows(),
                                     add=adding)
    materials = pickers.field(current_user, service.MATERIAL_KIND, MATERIALS,
                              list(form.materials.data or []), multiple=True)
    status = 400 if _saving() else 200
    return render_template("events/edit.html", form=form, event=event, rows=rows,
                           materials=materials, zones=calendar_zone_names()), status


@bp.route("/events/<int:event_id>/delete", methods=["GET", "POST"])
def delete(event_id: int):
    """Remove an event, its sessions and registrations, once confirmed."""
    event = service.get_managed(current_user, event_id)
    page = confirm.ask(
        _("Remove the event %(title)s?", title=event.title),
        _("Its sessions and every registration are removed with it; this cannot be undone."),
        url_for(".show", event_id=event.id), _("Remove the event"))
    if page is not None:
        return page
    service.delete_event(current_user, event)
    flash(_("The event was removed."), "success")
    return redirect(url_for(".index"))


def calendar_zone_names() -> list[str]:
    """The zones the form suggests."""
    return sorted(available_timezones())
