"""The privacy notice page (public) and its editor (administrators)."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import permissions, signin
from ..auth.access import public
from ..errors import ValidationError
from ..extensions import db
from ..i18n import format_day
from ..types import utcnow
from . import closing, exports, service
from .forms import CloseForm, NoticeForm

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


@bp.get("/")
@public
def page():
    """The privacy notice, for members and for those invited to join."""
    return render_template("privacy/page.html", notice=service.notice())


@bp.route("/edit", methods=["GET", "POST"])
def edit():
    """Administrators write the notice; a refusal keeps the text and says why."""
    if not permissions.is_admin(current_user):
        abort(403)
    found = service.notice()
    form = NoticeForm(data=None if found is None else {"body": found.body})
    if form.validate_on_submit():
        try:
            service.save_notice(current_user, form.body.data)
        except ValidationError as exc:
            db.session.rollback()
            form.body.errors.append(exc.message)
        else:
            flash(_("The privacy notice is saved."), "success")
            return redirect(url_for(".page"))
    return render_template("privacy/edit.html", form=form), 400 if form.errors else 200


@bp.route("/my-data", methods=["GET", "POST"])
def my_data():
    """Download my data: ask for a copy (prepared by the worker, link by email)."""
    if request.method == "POST":
        try:
            exports.request_export(current_user)
        except ValidationError as exc:
            db.session.rollback()
            flash(exc.message, "warning")
        else:
            flash(_("Your data is being prepared; a link will come by email."), "success")
        return redirect(url_for(".my_data"))
    return render_template("privacy/my_data.html", rows=exports.exports_of(current_user),
                           now=utcnow())


@bp.get("/my-data/<token>")
def download(token: str):
    """The zip, for the member it belongs to (404 for anyone else, or once expired)."""
    found, path = exports.ready_file(current_user, token)
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=f"pen-my-data-{found.created_at:%Y-%m-%d}.zip",
                     max_age=0, conditional=False)


@bp.route("/close", methods=["GET", "POST"])
def close():
    """Close my account: what goes and what stays, then the password to confirm."""
    form = CloseForm()
    if form.validate_on_submit():
        try:
            found = closing.request_closure(current_user, form.password.data)
        except ValidationError as exc:
            db.session.rollback()
            form.password.errors.append(exc.message)
        else:
            signin.end()
            flash(_("Your account will be closed on %(day)s. Sign in before then to keep it.",
                    day=format_day(found.erase_after)), "info")
            return redirect(url_for("auth.login"))
    days = int(current_app.config["ACCOUNT_CLOSE_GRACE_DAYS"])
    return render_template("privacy/close.html", form=form, days=days), \
        400 if form.errors else 200
