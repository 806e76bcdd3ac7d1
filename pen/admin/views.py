"""Administration: accounts (roles, suspension) and the audit log."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from .. import audit, confirm, mail
from ..auth import permissions, service, twofactor
from ..auth.models import User, UserStatus
from ..errors import ValidationError
from ..extensions import db
from .forms import RolesForm, UserFilterForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50


@bp.before_request
def require_admin():
    """Every page here is for administrators only."""
    if not permissions.can_manage_users(current_user):
        abort(403)


@bp.get("/users")
def users():
    """Accounts, searchable by name or email and filterable by status, newest first."""
    form = UserFilterForm(request.args)
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if form.validate() and form.q.data:
        pattern = f"%{form.q.data.strip().lower()}%"
        query = query.where(or_(User.email.like(pattern), User.display_name.ilike(pattern)))
    if form.status.data:
        query = query.where(User.status == UserStatus(form.status.data))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", form=form, page=page)


def _get_user_or_404(user_id: int) -> User:
    """The account, or 404."""
    return db.get_or_404(User, user_id)


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    """One account: its roles, its status, its recent audit trail."""
    account = _get_user_or_404(user_id)
    form = RolesForm(roles=sorted(account.role_names - {"member"}))
    return render_template("admin/user.html", account=account, form=form,
                           entries=audit.for_target(account, limit=20),
                           two_factor=twofactor.is_enrolled(account))


@bp.post("/users/<int:user_id>/roles")
def user_roles(user_id: int):
    """Replace the account's roles."""
    account = _get_user_or_404(user_id)
    form = RolesForm()
    if not form.validate_on_submit():
        return render_template("admin/user.html", account=account, form=form,
                               entries=audit.for_target(account, limit=20)), 400
    service.set_roles(current_user, account, set(form.roles.data))
    flash(_("Roles of %(name)s saved.", name=account.display_name), "success")
    return redirect(url_for(".user", user_id=account.id))


@bp.route("/users/<int:user_id>/status", methods=["GET", "POST"])
def user_status(user_id: int):
    """Suspend (once confirmed) or reactivate the account."""
    account = _get_user_or_404(user_id)
    if not permissions.can_change_user(current_user, account):
        abort(403)
    if request.form.get("status", UserStatus.SUSPENDED.value) == UserStatus.SUSPENDED.value:
        page = confirm.ask(
            _("Suspend %(name)s?", name=account.display_name),
            _("They can no longer sign in, and are signed out everywhere now."),
            url_for(".user", user_id=account.id), _("Suspend"),
            defaults={"status": UserStatus.SUSPENDED.value})
        if page is not None:
            return page
    try:
        status = UserStatus(request.form.get("status", ""))
        service.set_status(current_user, account, status)
    except ValueError:
        abort(400)
    except ValidationError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("%(name)s is now %(status)s.", name=account.display_name,
                status=status.label), "success")
    return redirect(url_for(".user", user_id=account.id))


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["GET", "POST"])
def reset_two_factor(user_id: int):
    """Remove the member's second factor (a lost phone), once confirmed; they set it up
    again, and every session of theirs ends."""
    account = _get_user_or_404(user_id)
    page = confirm.ask(
        _("Reset two-step sign-in for %(name)s?", name=account.display_name),
        _("Their second factor is removed and they are signed out everywhere now; they set "
          "it up again at their next sign-in."),
        url_for(".user", user_id=account.id), _("Reset two-step sign-in"))
    if page is not None:
        return page
    twofactor.reset(current_user, account)
    flash(_("The second factor of %(name)s is removed; they set it up again at their next "
            "sign-in.", name=account.display_name), "success")
    return redirect(url_for(".user", user_id=account.id))


@bp.get("/audit")
def audit_log():
    """The audit log, newest first, optionally of one action."""
    action = request.args.get("action") or None
    page = db.paginate(audit.query(action=action), per_page=PER_PAGE, error_out=False)
    return render_template("admin/audit.html", page=page, action=action,
                           actors=audit.actor_names(page.items))


@bp.get("/mail/bouncing")
def bouncing():
    """Addresses mail bounced from for good, with their members: nothing is sent to them."""
    found = mail.bouncing_addresses()
    members = {u.email.lower(): u for u in db.session.scalars(select(User).where(
        User.email.in_([b.address for b in found])))} if found else {}
    reports = reports_link()
    return render_template("admin/bouncing.html", bouncing=found, members=members,
                           reports_link=reports)


def reports_link() -> str | None:
    """The reported messages' queue, where the messages area is installed."""
    return url_for("messages.report_queue") if "messages.report_queue" in (
        current_app.view_functions) else None


@bp.post("/mail/bouncing/clear")
def clear_bouncing():
    """An administrator fixed the address with the member: mail flows again (audited)."""
    address = request.form.get("address", "")
    if mail.clear_bouncing(address):
        audit.record(current_user, "mail.bouncing_cleared", None, address=address)
        db.session.commit()
        flash(_("Mail to %(address)s will be sent again.", address=address), "success")
    return redirect(url_for(".bouncing"))
