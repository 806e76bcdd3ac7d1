"""The rollout administration: tracking, sending, the site mode and cohorts (administrators)."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm
from ..auth.access import safe_next
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from ..types import utcnow
from . import cohorts, sending, service, tracking
from .access import PILOT, can_manage_rollout, site_mode
from .forms import (
    STATE_LABELS,
    ActionForm,
    AddMembersForm,
    AddRegionForm,
    CohortForm,
    SendForm,
    SiteModeForm,
    TrackingFilterForm,
)
from .models import Cohort, Invitation

bp = Blueprint("rollout", __name__, url_prefix="/admin/rollout")
PER_PAGE = 50


@bp.before_request
def require_admin():
    """Every page here is for administrators only."""
    if not can_manage_rollout(current_user):
        abort(403)


@bp.context_processor
def _names() -> dict:
    return {"state_labels": STATE_LABELS, "reasons": sending.REASONS}


def _cohort_choices(with_all: bool) -> list[tuple[str, str]]:
    found = [(cohort.slug, f"{cohort.shown_name} ({size})")
             for cohort, size in cohorts.with_sizes()]
    return [(cohorts.ALL, _("Every member")), *found] if with_all else found


def _send_form() -> SendForm:
    form = SendForm()
    form.cohort.choices = _cohort_choices(with_all=True)
    return form


@bp.get("/")
def index():
    """Every invitation's state, counts per state and cohort, activations, and the actions."""
    now = utcnow()
    filters = TrackingFilterForm(request.args)
    filters.cohort.choices = [("", _("Any")), *_cohort_choices(with_all=False)]
    cohort = cohorts.find_cohort(filters.cohort.data) if filters.cohort.data else None
    query = tracking.invitations_query(now, filters.state.data or None, cohort, filters.q.data)
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template(
        "onboarding/tracking.html", page=page, filters=filters, counts=tracking.counts(now),
        by_cohort=tracking.counts_by_cohort(now), send_form=_send_form(), action=ActionForm(),
        chart=tracking.activation_chart(tracking.activations_per_day(), now.date()),
        mode=site_mode(), now=now)


@bp.post("/send")
def send():
    """Invite a cohort (or everyone): the per-member report, or the dry run of it."""
    form = _send_form()
    if not form.validate_on_submit():
        flash(_("Choose whom to invite."), "danger")
        return redirect(url_for(".index"))
    try:
        report = sending.send_invitations(current_user, form.cohort.data, form.dry_run.data)
    except ValidationError as exc:
        flash(exc.message, "danger")
        return redirect(url_for(".index"))
    return render_template("onboarding/send_report.html", report=report,
                           cohort=cohorts.find_cohort(form.cohort.data))


@bp.post("/resend-pending")
def resend_pending():
    """Send again to everyone who has not joined (at most once a day each)."""
    report = sending.resend_pending(current_user)
    return render_template("onboarding/send_report.html", report=report, cohort=None)


def _back(default: str | None = None):
    """Where the form came from (a page of this site), else ``default`` or the tracking page."""
    return redirect(_back_url(default))


def _back_url(default: str | None = None) -> str:
    """The page the form came from (of this site), else ``default`` or the tracking page."""
    return safe_next(request.values.get("next")) or default or url_for(".index")


@bp.post("/invitations/<int:invitation_id>/resend")
def resend(invitation_id: int):
    """Send one invitation again, with a new link."""
    invitation = db.get_or_404(Invitation, invitation_id)
    try:
        sending.resend(current_user, invitation)
    except ValidationError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("A new invitation to %(email)s is on its way.", email=invitation.user.email),
              "success")
    return _back()


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
def revoke(invitation_id: int):
    """Make one invitation's link stop working, once confirmed."""
    invitation = db.get_or_404(Invitation, invitation_id)
    page = confirm.ask(
        _("Revoke the invitation of %(email)s?", email=invitation.user.email),
        _("The link in their email stops working; you can send a new one later."),
        _back_url(), _("Revoke the invitation"))
    if page is not None:
        return page
    try:
        sending.revoke(current_user, invitation)
    except ValidationError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("The invitation of %(email)s is revoked.", email=invitation.user.email),
              "success")
    return _back()


@bp.get("/export.csv")
def export():
    """Every invitation and its state, as CSV."""
    return Response(tracking.export_csv(utcnow()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=pen-invitations.csv"})


@bp.route("/site", methods=["GET", "POST"])
def site():
    """Switch the site between pilot and open."""
    form = SiteModeForm(data=None if request.method == "POST" else {"mode": site_mode()})
    if form.validate_on_submit():
        service.set_site_mode(current_user, form.mode.data)
        flash(_("The site is now in pilot mode.") if form.mode.data == PILOT
              else _("The site is now open to every active member."), "success")
        return redirect(url_for(".site"))
    group = cohorts.test_group()
    status = 400 if request.method == "POST" else 200
    return render_template("onboarding/site.html", form=form, mode=site_mode(), test_group=group,
                           test_group_size=len(cohorts.member_ids(group)) if group else 0), status


@bp.route("/cohorts", methods=["GET", "POST"])
def cohort_list():
    """The cohorts and their sizes; create one."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = service.create_cohort(current_user, form.name.data, form.description.data)
        except ValidationError as exc:
            getattr(form, exc.field or "name").errors.append(exc.message)
        else:
            flash(_("Cohort “%(name)s” created.", name=cohort.name), "success")
            return redirect(url_for(".cohort", cohort_id=cohort.id))
    status = 400 if request.method == "POST" else 200
    return render_template("onboarding/cohorts.html", form=form, action=ActionForm(),
                           counts=tracking.counts_by_cohort(utcnow())), status


@bp.get("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    """One cohort's members, with their invitation state; add and remove members."""
    found = db.get_or_404(Cohort, cohort_id)
    return _cohort_page(found, AddMembersForm(), AddRegionForm())


def _cohort_page(found: Cohort, add_form, region_form, status: int = 200):
    page = db.paginate(cohorts.members_query(found), per_page=PER_PAGE, error_out=False)
    ids = [user.id for user in page.items]
    invitations = {i.user_id: i for i in db.session.scalars(
        tracking.invitations_query(utcnow()).where(Invitation.user_id.in_(ids)))} if ids else {}
    return render_template("onboarding/cohort.html", cohort=found, page=page,
                           invitations=invitations, add_form=add_form, region_form=region_form,
                           action=ActionForm()), status


@bp.post("/cohorts/<int:cohort_id>/add")
def cohort_add(cohort_id: int):
    """Add accounts by email; unknown emails are listed back."""
    found = db.get_or_404(Cohort, cohort_id)
    form = AddMembersForm()
    if not form.validate_on_submit():
        return _cohort_page(found, form, AddRegionForm(), 400)
    result = service.add_members(current_user, found, form.emails.data)
    flash(_("%(added)d added, %(already)d already in the cohort.", added=len(result.added),
            already=len(result.already)), "success")
    if result.unknown:
        flash(_("No account has these emails: %(emails)s", emails=", ".join(result.unknown)),
              "warning")
    return redirect(url_for(".cohort", cohort_id=found.id))


@bp.post("/cohorts/<int:cohort_id>/add-region")
def cohort_add_region(cohort_id: int):
    """Add every member of a region."""
    found = db.get_or_404(Cohort, cohort_id)
    form = AddRegionForm()
    if not form.validate_on_submit():
        return _cohort_page(found, AddMembersForm(), form, 400)
    count = service.add_region(current_user, found, form.region.data)
    flash(_("%(count)d members of %(region)s added.", count=count, region=_(form.region.data)),
          "success")
    return redirect(url_for(".cohort", cohort_id=found.id))


@bp.route("/cohorts/<int:cohort_id>/remove/<int:user_id>", methods=["GET", "POST"])
def cohort_remove(cohort_id: int, user_id: int):
    """Take one account out of the cohort, once confirmed."""
    found = db.get_or_404(Cohort, cohort_id)
    user = db.get_or_404(User, user_id)
    page = confirm.ask(
        _("Remove %(email)s from the cohort %(cohort)s?", email=user.email, cohort=found.name),
        _("The account stays; it is no longer invited with this cohort."),
        _back_url(url_for(".cohort", cohort_id=found.id)), _("Remove from the cohort"))
    if page is not None:
        return page
    service.remove_member(current_user, found, user)
    flash(_("Removed from the cohort."), "success")
    return _back(url_for(".cohort", cohort_id=found.id))


@bp.route("/cohorts/<int:cohort_id>/delete", methods=["GET", "POST"])
def cohort_delete(cohort_id: int):
    """Delete a cohort (not the test group), once confirmed; its members stay members."""
    found = db.get_or_404(Cohort, cohort_id)
    page = confirm.ask(_("Delete the cohort %(cohort)s?", cohort=found.name),
                       _("Its members stay members; only the cohort goes."),
                       url_for(".cohort", cohort_id=found.id), _("Delete this cohort"))
    if page is not None and not found.is_test_group:
        return page
    try:
        service.delete_cohort(current_user, found)
    except ValidationError as exc:
        flash(exc.message, "danger")
        return redirect(url_for(".cohort", cohort_id=found.id))
    flash(_("Cohort deleted."), "success")
    return redirect(url_for(".cohort_list"))
