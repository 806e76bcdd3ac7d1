"""The notifications page, marking them read, and the member's settings."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import mail
from ..auth.access import public, safe_next
from ..errors import ValidationError
from ..extensions import csrf
from . import feedkeys, replies, service
from . import unsubscribe as unsubscribing
from .forms import EmailModeForm

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
def index():
    """The member's notifications, newest first."""
    page = request.args.get("page", 1, type=int)
    pagination, notes = service.listing(current_user, page=page)
    return render_template("notifications/index.html", pagination=pagination, notes=notes,
                           registered_labels=service.kind_labels())


@bp.post("/<int:notification_id>/open")
def open_one(notification_id: int):
    """Mark one read and go to what it is about."""
    return redirect(safe_next(service.open_notification(current_user, notification_id))
                    or url_for(".index"))


@bp.post("/read")
def read_all():
    """Mark every notification read."""
    service.mark_all_read(current_user)
    flash(_("All notifications marked as read."), "success")
    return redirect(url_for(".index"))


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Choose how notifications arrive by email; see or renew the feed key."""
    form = EmailModeForm(data=None if request.method == "POST" else
                         {"email_mode": service.email_mode(current_user)})
    if form.validate_on_submit():
        try:
            service.set_email_mode(current_user, form.email_mode.data)
        except ValidationError as exc:
            form.email_mode.errors.append(exc.message)
        else:
            flash(_("Your email choice was saved."), "success")
            return redirect(url_for(".settings"))
    status = 400 if form.errors else 200
    return render_template("notifications/settings.html", form=form,
                           feed_token=feedkeys.token_for(current_user),
                           bouncing=mail.is_bouncing(current_user.email)), status


@bp.post("/settings/feed-key")
def feed_key():
    """Create, renew or revoke the personal feed key."""
    if request.form.get("action") == "revoke":
        feedkeys.revoke(current_user)
        flash(_("Your feed links no longer work."), "success")
    else:
        feedkeys.renew(current_user)
        flash(_("Your new feed links are ready; old ones no longer work."), "success")
    return redirect(url_for(".settings"))


@bp.post("/settings/reply-addresses")
def revoke_reply_addresses():
    """Make every reply-by-email address the member was sent stop working."""
    replies.revoke(current_user)
    flash(_("Your earlier reply addresses no longer work; new emails bring new ones."),
          "success")
    return redirect(url_for(".settings"))


@bp.post("/settings/address")
def confirm_address():
    """The member says their email address works again: mail flows again."""
    if unsubscribing.confirm_address(current_user):
        flash(_("Thank you: we will email you again."), "success")
    return redirect(url_for(".settings"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # a mail client's one-click POST (RFC 8058) carries no form token
@public
def unsubscribe(token: str):
    """GET: a page with the button; POST: notification email off, at once."""
    user = unsubscribing.user_for_token(token)
    if user is None:
        abort(404)
    if request.method == "POST":
        unsubscribing.unsubscribe(user)
    return render_template("notifications/unsubscribe.html", token=token,
                           done=request.method == "POST")
