"""Group pages: the list, a group's page, creating and editing, joining and leaving."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import files
from ..errors import NotFound, ValidationError
from ..extensions import db
from . import meetings, membership, permissions, registry, service, workplan
from .forms import GroupForm, LeaveForm, NewGroupForm, RequestForm

bp = Blueprint("groups", __name__, url_prefix="/groups")
PER_PAGE = 24


def group_or_404(slug: str):
    """The group at ``slug`` if the current member may see it, else 404."""
    try:
        return service.get_visible_or_404(current_user, slug)
    except NotFound:
        abort(404)


def run(form, action, default_field: str | None = None):
    """Run a service call; a ValidationError goes beside its field (or atop the form)."""
    try:
        return action() or True
    except ValidationError as exc:
        db.session.rollback()
        field = getattr(form, exc.field or default_field or "", None) if form else None
        if field is not None:
            field.errors = [*field.errors, exc.message]
        elif form is not None:
            form.form_errors.append(exc.message)
        else:
            flash(exc.message, "danger")
        return None


@bp.get("/")
def index():
    """Groups the member may see (``?mine=1``: theirs only), by name, paginated."""
    mine = request.args.get("mine") == "1"
    q = request.args.get("q", "").strip()
    page = db.paginate(service.list_query(current_user, mine, q), per_page=PER_PAGE,
                       error_out=False)
    counts = service.member_counts([g.id for g in page.items])
    return render_template("groups/index.html", page=page, counts=counts, mine=mine, q=q,
                           my_ids=permissions.member_group_ids(current_user))


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Create a group and appoint its first coordinators (administrators)."""
    if not permissions.can_create_group(current_user):
        abort(403)
    form = NewGroupForm()
    if form.validate_on_submit():
        group = run(form, lambda: _create(form))
        if group:
            flash(_("The group was created."), "success")
            return redirect(url_for(".show", slug=group.slug))
    return render_template("groups/edit.html", form=form, group=None), 400 if form.errors else 200


def _fields(form) -> service.GroupFields:
    return service.GroupFields(form.name.data, form.slug.data.strip().lower(),
                               form.description.data or "", form.visibility.data,
                               form.join_policy.data)


def _create(form):
    service.validate_fields(_fields(form))  # the group's own fields first, then the people
    names = [line for line in form.coordinators.data.splitlines() if line.strip()]
    try:
        coordinators = [service.find_member(name) for name in names]
    except ValidationError as exc:
        raise ValidationError(exc.message, "coordinators") from None
    group = service.create_group(current_user, _fields(form), coordinators)
    _save_picture(group, form)
    return group


def _save_picture(group, form) -> None:
    upload = form.picture.data
    if upload and getattr(upload, "filename", ""):
        service.set_picture(current_user, group, upload.read())


@bp.get("/<slug>")
def show(slug: str):
    """The group page: description, members, sections (forum, shelf), plan, meetings."""
    group = group_or_404(slug)
    inside = permissions.can_see_group_content(current_user, group.id)
    plan = workplan.activities(group) if inside else []
    soon = meetings.upcoming(group) if inside else []
    return render_template(
        "groups/show.html", group=group, inside=inside, today=date.today(),
        members=service.memberships(group), plan=plan[:8],
        overdue=sum(1 for a in plan if a.is_overdue(date.today())),
        upcoming=soon, local_start=meetings.local_start,
        minutes=meetings.minutes_links(current_user, soon),
        sections=registry.sections_for(group, current_user),
        own_request=membership.own_request(current_user, group),
        own_invitation=membership.own_invitation(current_user, group),
        request_form=RequestForm(), status_labels=workplan.STATUS_LABELS)


@bp.get("/<slug>/picture")
def picture(slug: str):
    """The group's picture, to members who see the group."""
    group = group_or_404(slug)
    if not group.picture:
        abort(404)
    return send_file(files.path_of(service.PICTURE_AREA, group.picture), mimetype="image/jpeg",
                     max_age=3600)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    """Change the group's description, address, rules or picture (coordinators)."""
    group = group_or_404(slug)
    if not permissions.can_manage_group(current_user, group):
        abort(403)
    form = GroupForm(obj=group if request.method == "GET" else None)
    if form.validate_on_submit() and run(form, lambda: (
            service.update_group(current_user, group, _fields(form)),
            _save_picture(group, form))):
        flash(_("Your changes were saved."), "success")
        return redirect(url_for(".show", slug=group.slug))
    return render_template("groups/edit.html", form=form, group=group), \
        400 if form.errors else 200


@bp.post("/<slug>/join")
def join(slug: str):
    """Join an open group (403 for one by invitation or request)."""
    group = group_or_404(slug)
    if run(None, lambda: membership.join(current_user, group)):
        flash(_("Welcome to %(group)s.", group=group.name), "success")
    return redirect(url_for(".show", slug=group.slug))


@bp.post("/<slug>/request")
def request_to_join(slug: str):
    """Ask to join a group "by request"."""
    group = group_or_404(slug)
    form = RequestForm()
    if form.validate_on_submit() and run(None, lambda: membership.request_to_join(
            current_user, group, form.message.data or "")):
        flash(_("Your request was sent to the coordinators."), "success")
    return redirect(url_for(".show", slug=group.slug))


@bp.post("/<slug>/request/withdraw")
def withdraw_request(slug: str):
    """Take back one's pending request."""
    group = group_or_404(slug)
    own = membership.own_request(current_user, group)
    if own is None:
        abort(404)
    if run(None, lambda: membership.withdraw_request(current_user, own)):
        flash(_("Your request was withdrawn."), "success")
    return redirect(url_for(".show", slug=group.slug))


@bp.route("/<slug>/leave", methods=["GET", "POST"])
def leave(slug: str):
    """Leave the group; the last coordinator names who coordinates after them."""
    group = group_or_404(slug)
    if not permissions.can_leave(current_user, group):
        abort(403)
    form = LeaveForm()
    others = [m for m in service.memberships(group) if m.user_id != current_user.id]
    form.successor.choices = [(0, "—")] + [(m.user_id, m.user.display_name) for m in others]
    if form.validate_on_submit():
        successor = next((m.user for m in others if m.user_id == form.successor.data), None)
        if run(form, lambda: membership.leave(current_user, group, successor), "successor"):
            flash(_("You left %(group)s.", group=group.name), "success")
            return redirect(url_for(".index"))
    last = (permissions.coordinator_ids(group.id) == {current_user.id})
    return render_template("groups/leave.html", group=group, form=form, last=last), \
        400 if form.errors else 200


@bp.route("/invitations/<int:invitation_id>", methods=["GET", "POST"])
def invitation(invitation_id: int):
    """The invited member's page: accept or decline (opened from the notification)."""
    try:
        found = membership.get_invitation_for(current_user, invitation_id)
    except NotFound:
        abort(404)
    if request.method == "POST":
        accept = request.form.get("answer") == "accept"
        if run(None, lambda: membership.answer_invitation(current_user, found, accept)):
            flash(_("Welcome to %(group)s.", group=found.group.name) if accept
                  else _("You declined the invitation."), "success")
            target = url_for(".show", slug=found.group.slug) if accept else url_for(".index")
            return redirect(target)
    return render_template("groups/invitation.html", invitation=found)

