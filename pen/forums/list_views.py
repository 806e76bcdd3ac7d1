"""Topic lists across every category the member may see ("Latest", "Unread", "New",
"My topics"), and tags: their page, and the moderators' list where they are created,
renamed and deleted."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import confirm
from ..errors import ValidationError
from ..extensions import db
from . import listing, permissions, reading, tags
from .forms import TagForm
from .models import Tag
from .views import bp, page_number, topic_or_404

LISTS = ("latest", "unread", "new", "mine")


@bp.get("/<any(latest, unread, new, mine):which>")
def topics(which: str):
    """One of the lists across all categories, by latest activity."""
    page = reading.topic_page(current_user, None, "all" if which == "latest" else which,
                              page_number())
    return render_template("forums/topics.html", page=page, which=which, lists=LISTS,
                           **listing.context(current_user, page.items))


@bp.get("/tags/<slug>")
def tag(slug: str):
    """The topics with this tag that the member may see."""
    found = tags.by_slug(slug) or abort(404)
    page = reading.topic_page(current_user, None, "all", page_number(), tag_id=found.id)
    return render_template("forums/tag.html", tag=found, page=page,
                           **listing.context(current_user, page.items))


@bp.route("/tags", methods=["GET", "POST"])
def tag_index():
    """Every tag; moderators create new ones here."""
    may_create = permissions.can_moderate_forums(current_user)
    if request.method == "POST" and not may_create:
        abort(403)
    form = TagForm()
    if may_create and form.validate_on_submit():
        try:
            created = tags.create(current_user, form.name.data)
        except ValidationError as exc:
            form.name.errors = [*form.name.errors, exc.message]
        else:
            flash(_("The tag “%(name)s” was created.", name=created.name), "success")
            return redirect(url_for(".tag_index"))
    return render_template("forums/tags.html", tags=tags.all_tags(), form=form,
                           may_create=may_create), 400 if form.errors else 200


def _moderated_tag_or_404(tag_id: int) -> Tag:
    """The tag, for a moderator: 404 if there is none, 403 for anyone else."""
    found = db.get_or_404(Tag, tag_id)
    if not permissions.can_moderate_forums(current_user):
        abort(403)
    return found


@bp.route("/tags/<int:tag_id>/rename", methods=["GET", "POST"])
def rename_tag(tag_id: int):
    """Rename a tag (moderators); a refused name stays in the form with the reason."""
    found = _moderated_tag_or_404(tag_id)
    form = TagForm(data=None if request.method == "POST" else {"name": found.name})
    if form.validate_on_submit():
        old = found.name
        try:
            tags.rename(current_user, found, form.name.data)
        except ValidationError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, exc.message]
        else:
            flash(_("The tag “%(old)s” is now “%(name)s”.", old=old, name=found.name),
                  "success")
            return redirect(url_for(".tag_index"))
    return render_template("forums/tag_rename.html", tag=found, form=form), \
        400 if form.errors else 200


@bp.route("/tags/<int:tag_id>/delete", methods=["GET", "POST"])
def delete_tag(tag_id: int):
    """Delete a tag (moderators), once confirmed; its topics stay."""
    found = _moderated_tag_or_404(tag_id)
    name = found.name
    page = confirm.ask(_("Delete the tag “%(name)s”?", name=name),
                       _consequence(tags.topic_count(found)),
                       url_for(".tag_index"), _("Delete the tag"))
    if page is not None:
        return page
    tags.delete_tag(current_user, found)
    flash(_("The tag “%(name)s” was deleted.", name=name), "success")
    return redirect(url_for(".tag_index"))


def _consequence(topics: int) -> str:
    """What deleting a tag that ``topics`` topics carry does."""
    if not topics:
        return _("No topic carries it.")
    return ngettext("It is taken off %(num)d topic; the topic stays.",
                    "It is taken off %(num)d topics; the topics stay.", topics)


@bp.post("/t/<int:topic_id>/tags")
def retag(topic_id: int):
    """The topic's author or a moderator changes its tags."""
    found = topic_or_404(topic_id)
    try:
        tags.set_for_topic(current_user, found, request.form.getlist("tags", type=int))
    except ValidationError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("The topic's tags were saved."), "success")
    return redirect(url_for(".topic", topic_id=found.id))
