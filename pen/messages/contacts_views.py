"""The member's message settings: who may write to them, the members they blocked."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from . import contacts, permissions
from .forms import WhoMayWriteForm
from .views import bp


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Choose who may start a conversation with the member; see whom they blocked."""
    form = WhoMayWriteForm(data=None if request.method == "POST" else
                           {"who": permissions.who_may_write(current_user.id)})
    if form.validate_on_submit():
        try:
            contacts.set_who_may_write(current_user, form.who.data)
        except ValidationError as exc:
            form.who.errors.append(exc.message)
        else:
            flash(_("Your choice was saved."), "success")
            return redirect(url_for(".settings"))
    return render_template("messages/settings.html", form=form,
                           blocked=contacts.blocked_members(current_user)), (
        400 if form.errors else 200)


def _member_or_404(user_id: int) -> User:
    found = db.session.get(User, user_id)
    if found is None:
        abort(404)
    return found


@bp.post("/block/<int:user_id>")
def block(user_id: int):
    """Block a member: no messages from them, their words hidden from the member."""
    other = _member_or_404(user_id)
    try:
        contacts.block(current_user, other)
    except ValidationError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("You blocked %(name)s: they cannot write to you, and you no longer see "
                "their messages or mentions.", name=other.display_name), "success")
    return redirect(url_for(".settings"))


@bp.post("/unblock/<int:user_id>")
def unblock(user_id: int):
    """Lift a block."""
    other = _member_or_404(user_id)
    contacts.unblock(current_user, other)
    flash(_("%(name)s is no longer blocked.", name=other.display_name), "success")
    return redirect(url_for(".settings"))
