"""Moderation and category pages: pin, lock, move, hide, split, reports, categories."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from ..extensions import db
from ..vocabulary import label as vocab
from . import correction_views, moderation, permissions, reading, service  # noqa: F401
from .forms import CategoryForm, MoveForm, ReasonForm, SplitForm
from .models import Category, Report
from .views import bp, post_or_404, topic_or_404


def _category_choices() -> list[tuple[int, str]]:
    return [(c.id, vocab("forum_category", c.id, c.name)) for c in reading.categories()]


@bp.post("/t/<int:topic_id>/pin")
def pin(topic_id: int):
    """Pin or unpin a topic."""
    found = topic_or_404(topic_id)
    moderation.set_pinned(current_user, found, request.form.get("pinned") == "1")
    return redirect(url_for(".topic", topic_id=found.id))


@bp.post("/t/<int:topic_id>/lock")
def lock(topic_id: int):
    """Lock or unlock a topic."""
    found = topic_or_404(topic_id)
    moderation.set_locked(current_user, found, request.form.get("locked") == "1")
    return redirect(url_for(".topic", topic_id=found.id))


@bp.route("/t/<int:topic_id>/move", methods=["GET", "POST"])
def move(topic_id: int):
    """Move a topic to another category."""
    found = topic_or_404(topic_id)
    if not permissions.can_moderate_forums(current_user, found):
        abort(403)
    form = MoveForm(data=None if request.method == "POST" else {"category": found.category_id})
    form.category.choices = _category_choices()
    if form.validate_on_submit():
        moderation.move(current_user, found, db.get_or_404(Category, form.category.data))
        flash(_("The topic was moved."), "success")
        return redirect(url_for(".topic", topic_id=found.id))
    return render_template("forums/move.html", topic=found, form=form)


@bp.post("/p/<int:post_id>/hide")
def hide(post_id: int):
    """Hide a post from members (or show it again)."""
    post = post_or_404(post_id)
    try:
        moderation.set_hidden(current_user, post, request.form.get("hidden") == "1",
                              request.form.get("reason", ""))
    except ValidationError as exc:
        flash(exc.message, "danger")
    return redirect(url_for(".post_link", post_id=post.id))


@bp.route("/p/<int:post_id>/split", methods=["GET", "POST"])
def split(post_id: int):
    """Make a reply a topic of its own."""
    post = post_or_404(post_id)
    if not permissions.can_moderate_forums(current_user, post.topic):
        abort(403)
    form = SplitForm(data=None if request.method == "POST" else
                     {"category": post.topic.category_id})
    form.category.choices = _category_choices()
    if form.validate_on_submit():
        try:
            created = moderation.split(current_user, post, form.title.data,
                                       db.get_or_404(Category, form.category.data))
        except ValidationError as exc:
            form.title.errors = [*form.title.errors, exc.message]
        else:
            flash(_("The reply is now a topic of its own."), "success")
            return redirect(url_for(".topic", topic_id=created.id))
    return render_template("forums/split.html", post=post, form=form), 400 if form.errors else 200


@bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
def report(post_id: int):
    """Report a post to the moderators."""
    post = post_or_404(post_id)
    if not permissions.can_report_post(current_user, post):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            moderation.report(current_user, post, form.reason.data)
        except ValidationError as exc:
            form.reason.errors = [*form.reason.errors, exc.message]
        else:
            flash(_("Thank you: the moderators will look at it."), "success")
            return redirect(url_for(".post_link", post_id=post.id))
    return render_template("forums/report.html", post=post, form=form), 400 if form.errors else 200


@bp.get("/reports")
def reports():
    """The moderators' queue of reported posts."""
    page = moderation.open_reports(current_user, request.args.get("page", 1, type=int))
    return render_template("forums/reports.html", page=page)


@bp.post("/reports/<int:report_id>")
def handle_report(report_id: int):
    """Resolve or dismiss a report, hiding the post if asked."""
    entry = db.get_or_404(Report, report_id)
    try:
        moderation.handle_report(current_user, entry, request.form.get("outcome", ""),
                                 hide=request.values.get("hide") == "1")
    except ValidationError as exc:
        flash(exc.message, "danger")
    return redirect(url_for(".reports"))


@bp.route("/categories", methods=["GET", "POST"])
def categories():
    """Administrators: the categories, and a form to add one."""
    if not permissions.can_manage_categories(current_user):
        abort(403)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            service.create_category(current_user, form.name.data, form.description.data or "",
                                    form.position.data)
        except ValidationError as exc:
            form.name.errors = [*form.name.errors, exc.message]
        else:
            flash(_("Category added."), "success")
            return redirect(url_for(".categories"))
    return render_template("forums/categories.html", form=form,
                           categories=reading.categories()), 400 if form.errors else 200


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def edit_category(category_id: int):
    """Administrators: rename, describe or reorder a category."""
    if not permissions.can_manage_categories(current_user):
        abort(403)
    found = db.get_or_404(Category, category_id)
    form = CategoryForm(obj=None if request.method == "POST" else found)
    if form.validate_on_submit():
        try:
            service.update_category(current_user, found, form.name.data,
                                    form.description.data or "", form.position.data or 0)
        except ValidationError as exc:
            form.name.errors = [*form.name.errors, exc.message]
        else:
            flash(_("Category saved."), "success")
            return redirect(url_for(".categories"))
    return render_template("forums/category_edit.html", form=form, category=found), \
        400 if form.errors else 200
