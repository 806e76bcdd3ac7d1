"""Topic lists across every category the member may see ("Latest", "Unread", "New",
"My topics"), and tags: their page, and the moderators' list where they are created."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from . import listing, permissions, reading, tags
from .forms import TagForm
from .views import bp, topic_or_404

LISTS = ("latest", "unread", "new", "mine")


def _page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


@bp.get("/<any(latest, unread, new, mine):which>")
def topics(which: str):
    """One of the lists across all categories, by latest activity."""
    page = reading.topic_page(current_user, None, "all" if which == "latest" else which,
                              _page())
    return render_template("forums/topics.html", page=page, which=which, lists=LISTS,
                           **listing.context(current_user, page.items))


@bp.get("/tags/<slug>")
def tag(slug: str):
    """The topics with this tag that the member may see."""
    found = tags.by_slug(slug) or abort(404)
    page = reading.topic_page(current_user, None, "all", _page(), tag_id=found.id)
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
