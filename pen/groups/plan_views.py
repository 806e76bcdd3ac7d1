"""The work plan (list, timeline, CSV) and meetings of a group, for its members."""

import re
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm
from ..errors import ValidationError
from ..members.service import member_zone
from . import meetings, permissions, pickers, registry, service, timeline, workplan
from .forms import ActivityForm, MeetingForm
from .views import bp, group_or_404, run

LINK_LINE = re.compile(r"^\s*([a-z_]+)\s*[:#]?\s*#?(\d+)\s*$")


def _inside_or_404(slug: str):
    """The group if the member may see its content (members, admins), else 404."""
    group = group_or_404(slug)
    if not permissions.can_see_group_content(current_user, group.id):
        abort(404)
    return group


def _managed_or_403(slug: str):
    group = _inside_or_404(slug)
    if not permissions.can_manage_group(current_user, group):
        abort(403)
    return group


@bp.get("/<slug>/plan")
def plan(slug: str):
    """The whole work plan with its timeline; overdue items highlighted."""
    group = _inside_or_404(slug)
    items, today = workplan.activities(group), date.today()
    return render_template("groups/plan.html", group=group, items=items, today=today,
                           chart=timeline.build(items, today),
                           links=workplan.visible_links(current_user, items),
                           status_labels=workplan.STATUS_LABELS)


@bp.get("/<slug>/plan.csv")
def plan_csv(slug: str):
    """The work plan as CSV."""
    group = _inside_or_404(slug)
    body = workplan.to_csv(workplan.activities(group), date.today())
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={group.slug}-work-plan.csv"})


def parse_links(text: str) -> list[tuple[str, int]]:
    """``topic 12`` lines as ``("topic", 12)``; a line that is not one is an error."""
    links = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = LINK_LINE.match(line.lower())
        if not match or match.group(1) not in registry.link_kinds():
            raise ValidationError(_("Line %(n)d: write a kind (%(kinds)s) and a number.",
                                    n=number, kinds=", ".join(registry.link_kinds()) or "—"),
                                  "links")
        links.append((match.group(1), int(match.group(2))))
    return links


DOCUMENTS = "documents"  # the work plan's document picker


def _activity_form(group, activity=None) -> ActivityForm:
    data = None
    if activity is not None and request.method == "GET":
        data = {"title": activity.title, "description": activity.description,
                "status": activity.status, "start_date": activity.start_date,
                "due_date": activity.due_date, "owner_ids": [u.id for u in activity.owners],
                DOCUMENTS: [lk.target_id for lk in activity.links
                            if lk.kind == workplan.DOCUMENT_KIND],
                "links": "\n".join(f"{lk.kind} {lk.target_id}" for lk in activity.links
                                   if lk.kind != workplan.DOCUMENT_KIND)}
    form = ActivityForm(data=data)
    form.owner_ids.choices = [(m.user_id, m.user.display_name)
                              for m in service.memberships(group)]
    return form


def _activity_fields(form) -> workplan.ActivityFields:
    documents = [(workplan.DOCUMENT_KIND, i) for i in form.documents.data or []]
    return workplan.ActivityFields(
        form.title.data, form.description.data or "", form.status.data, form.start_date.data,
        form.due_date.data, list(form.owner_ids.data or []),
        documents + parse_links(form.links.data))


def _saving_activity(form: ActivityForm) -> bool:
    """A valid post that saves (not the documents picker's "Search the library")."""
    return not pickers.searching(DOCUMENTS) and form.validate_on_submit()


def _activity_page(group, form: ActivityForm, activity=None):
    """The activity form with its documents picker; 400 after a refused save."""
    picker = pickers.field(current_user, workplan.DOCUMENT_KIND, DOCUMENTS,
                           list(form.documents.data or []), multiple=True, group_id=group.id)
    return render_template("groups/activity_edit.html", group=group, form=form, picker=picker,
                           activity=activity), 400 if form.errors else 200


@bp.route("/<slug>/plan/new", methods=["GET", "POST"])
def new_activity(slug: str):
    """Add an activity (coordinators)."""
    group = _managed_or_403(slug)
    form = _activity_form(group)
    if _saving_activity(form) and run(form, lambda: workplan.create_activity(
            current_user, group, _activity_fields(form))):
        flash(_("The activity was added."), "success")
        return redirect(url_for(".plan", slug=group.slug))
    return _activity_page(group, form)


@bp.route("/<slug>/plan/<int:activity_id>/edit", methods=["GET", "POST"])
def edit_activity(slug: str, activity_id: int):
    """Change an activity (coordinators)."""
    group = _managed_or_403(slug)
    activity = workplan.get_activity_or_404(current_user, group, activity_id)
    form = _activity_form(group, activity)
    if _saving_activity(form) and run(form, lambda: workplan.update_activity(
            current_user, activity, _activity_fields(form))):
        flash(_("Your changes were saved."), "success")
        return redirect(url_for(".plan", slug=group.slug))
    return _activity_page(group, form, activity)


@bp.route("/<slug>/plan/<int:activity_id>/delete", methods=["GET", "POST"])
def delete_activity(slug: str, activity_id: int):
    """Remove an activity (coordinators), once confirmed."""
    group = _managed_or_403(slug)
    activity = workplan.get_activity_or_404(current_user, group, activity_id)
    page = confirm.ask(_("Remove the activity %(title)s from the work plan?",
                         title=activity.title),
                       _("Its links to documents, discussions and meetings go with it."),
                       url_for(".plan", slug=group.slug), _("Remove the activity"))
    if page is not None:
        return page
    workplan.delete_activity(current_user, activity)
    flash(_("The activity was removed."), "success")
    return redirect(url_for(".plan", slug=group.slug))


@bp.get("/<slug>/meetings")
def meeting_list(slug: str):
    """Upcoming and past meetings."""
    group = _inside_or_404(slug)
    soon, before = meetings.upcoming(group, 50), meetings.past(group, 50)
    return render_template("groups/meetings.html", group=group, upcoming=soon, past=before,
                           local_start=meetings.local_start,
                           minutes=meetings.minutes_links(current_user, soon + before))


def _meeting_form(meeting=None) -> MeetingForm:
    data = None
    if meeting is not None and request.method == "GET":
        data = {"title": meeting.title, "starts_local": meetings.local_start(meeting)
                .replace(tzinfo=None), "timezone": meeting.timezone, "place": meeting.place,
                "online_url": meeting.online_url, "agenda": meeting.agenda,
                "minutes_document_id": meeting.minutes_document_id}
    form = MeetingForm(data=data)
    if meeting is None and request.method == "GET":  # a new meeting starts on the member's clock
        zone = member_zone(current_user)
        form.timezone.data = zone.key if zone else "UTC"
    return form


def _meeting_page(group, form: MeetingForm, meeting=None):
    """The meeting form with its minutes picker; 400 after a refused save."""
    chosen = form.minutes_document_id.data
    picker = pickers.field(current_user, meetings.MINUTES_KIND, "minutes_document_id",
                           [chosen] if isinstance(chosen, int) else [], group_id=group.id)
    return render_template("groups/meeting_edit.html", group=group, form=form, picker=picker,
                           meeting=meeting, zones=meetings.timezone_names()), \
        400 if form.errors else 200


def _saving(form: MeetingForm) -> bool:
    """A valid post that saves (not the minutes picker's "Search the library")."""
    return not pickers.searching("minutes_document_id") and form.validate_on_submit()


def _meeting_fields(form) -> meetings.MeetingFields:
    return meetings.MeetingFields(
        form.title.data, form.starts_local.data, form.timezone.data, form.place.data or "",
        (form.online_url.data or "").strip(), form.agenda.data or "",
        form.minutes_document_id.data)


@bp.route("/<slug>/meetings/new", methods=["GET", "POST"])
def new_meeting(slug: str):
    """Plan a meeting (coordinators)."""
    group = _managed_or_403(slug)
    form = _meeting_form()
    if _saving(form) and run(form, lambda: meetings.create_meeting(
            current_user, group, _meeting_fields(form))):
        flash(_("The meeting was added."), "success")
        return redirect(url_for(".meeting_list", slug=group.slug))
    return _meeting_page(group, form)


@bp.route("/<slug>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit_meeting(slug: str, meeting_id: int):
    """Change a meeting or attach its minutes (coordinators)."""
    group = _managed_or_403(slug)
    meeting = meetings.get_meeting_or_404(current_user, group, meeting_id)
    form = _meeting_form(meeting)
    if _saving(form) and run(form, lambda: meetings.update_meeting(
            current_user, meeting, _meeting_fields(form))):
        flash(_("Your changes were saved."), "success")
        return redirect(url_for(".meeting_list", slug=group.slug))
    return _meeting_page(group, form, meeting)


@bp.route("/<slug>/meetings/<int:meeting_id>/delete", methods=["GET", "POST"])
def delete_meeting(slug: str, meeting_id: int):
    """Cancel a meeting (coordinators), once confirmed."""
    group = _managed_or_403(slug)
    meeting = meetings.get_meeting_or_404(current_user, group, meeting_id)
    page = confirm.ask(_("Remove the meeting %(title)s?", title=meeting.title),
                       _("It leaves the group's calendar; its minutes stay in the library."),
                       url_for(".meeting_list", slug=group.slug), _("Remove the meeting"))
    if page is not None:
        return page
    meetings.delete_meeting(current_user, meeting)
    flash(_("The meeting was removed."), "success")
    return redirect(url_for(".meeting_list", slug=group.slug))
