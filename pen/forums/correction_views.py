"""Undo and correct: restore a post, remove an attachment, redact a version, delete a
category."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm
from ..errors import ValidationError
from ..extensions import db
from . import corrections, permissions, reading
from .forms import DeleteCategoryForm
from .models import Attachment, Category, Post, PostRevision
from .views import bp, post_or_404


@bp.post("/p/<int:post_id>/restore")
def restore(post_id: int):
    """Bring back a deleted post or topic (the service answers 404/403)."""
    post = db.get_or_404(Post, post_id)
    corrections.restore_post(current_user, post)
    flash(_("The topic was restored.") if post.number == 1 else _("The post was restored."),
          "success")
    return redirect(url_for(".post_link", post_id=post.id))


@bp.route("/attachments/<int:attachment_id>/remove", methods=["GET", "POST"])
def remove_attachment(attachment_id: int):
    """Remove a file from a post (its author while editing, or a moderator), once
    confirmed."""
    found = db.get_or_404(Attachment, attachment_id)
    corrections.check_remove_attachment(current_user, found.post)
    page = confirm.ask(_("Remove the file %(name)s?", name=found.filename),
                       _("A removed file is deleted for good."),
                       url_for(".edit", post_id=found.post_id),
                       _("Remove %(name)s", name=found.filename))
    if page is not None:
        return page
    post = corrections.remove_attachment(current_user, found)
    flash(_("The file %(name)s was removed.", name=found.filename), "success")
    return redirect(url_for(".edit", post_id=post.id))


@bp.post("/p/<int:post_id>/history/<int:version>/redact")
def redact(post_id: int, version: int):
    """Replace an old version's text with the redaction mark (moderators)."""
    post = post_or_404(post_id)
    revision = db.first_or_404(db.select(PostRevision).where(
        PostRevision.post_id == post.id, PostRevision.version == version))
    try:
        corrections.redact_revision(current_user, revision)
    except ValidationError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("Version %(n)d was redacted.", n=version), "success")
    return redirect(url_for(".history", post_id=post.id))


@bp.route("/categories/<int:category_id>/delete", methods=["GET", "POST"])
def delete_category(category_id: int):
    """Administrators: delete a category, moving its topics to another one first."""
    if not permissions.can_manage_categories(current_user):
        abort(403)
    found = db.get_or_404(Category, category_id)
    form = DeleteCategoryForm()
    form.destination.choices = [(0, _("— none (the category is empty)"))] + [
        (c.id, c.name) for c in reading.categories() if c.id != found.id]
    if form.validate_on_submit():
        destination = db.session.get(Category, form.destination.data or 0)
        try:
            moved = corrections.delete_category(current_user, found, destination)
        except ValidationError as exc:
            db.session.rollback()
            form.destination.errors = [*form.destination.errors, exc.message]
        else:
            flash(_("The category was deleted; %(n)d topics moved.", n=moved), "success")
            return redirect(url_for(".categories"))
    return render_template("forums/category_delete.html", form=form, category=found,
                           count=corrections.topic_count(found)), 400 if form.errors else 200
