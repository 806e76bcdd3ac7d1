"""A thematic group's forum: its topics on the group page, their list, a new topic.

Group topics are ordinary topics whose ``group_id`` names the group; the one
visibility rule (``permissions.can_view_topic``) keeps them to its members.
This module also lets the work plan link to topics (the "topic" link kind).
"""

from flask import Flask, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField

from .. import groups
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..groups import permissions as group_permissions
from ..groups import service as group_service
from ..notifications import path_for
from ..vocabulary import label as vocab
from . import composing, listing, permissions, reading, service
from .forms import TopicForm
from .models import Topic
from .views import bp, page_number

SECTION_TOPICS = 8


def _group_for_members_or_404(slug: str):
    """The group, if the member may see its content; 404 otherwise (it may not exist)."""
    try:
        group = group_service.get_visible_or_404(current_user, slug)
    except NotFound:
        abort(404)
    if not group_permissions.can_see_group_content(current_user, group.id):
        abort(404)
    return group


def group_topic_query(user, group_id: int):
    """The group's topics ``user`` may see, by latest activity."""
    return reading.topic_query(user, None, group_id=group_id)


@bp.get("/g/<slug>")
def group_topics(slug: str):
    """Every discussion of a group, paginated, in the forums' topic table."""
    group = _group_for_members_or_404(slug)
    page = reading.topic_page(current_user, None, page=page_number(), group_id=group.id)
    return render_template("forums/group_topics.html", group=group, page=page,
                           **listing.context(current_user, page.items))


class GroupTopicForm(TopicForm):
    """A new topic of a group's forum, filed in one of the forum's categories."""

    category_id = SelectField(_l("Category"), coerce=int, choices=[])


@bp.route("/g/<slug>/new", methods=["GET", "POST"])
def new_group_topic(slug: str):
    """Start a discussion in a group (members only: 403 for those who only see the group)."""
    group = group_service.get_by_slug(slug)
    if group is None or not group_permissions.can_view_group(current_user, group):
        abort(404)
    if not permissions.can_create_topic(current_user, None, group.id):
        abort(403)
    form = GroupTopicForm()
    categories = {c.id: c for c in reading.categories()}
    form.category_id.choices = [(c.id, vocab("forum_category", c.id, c.name))
                                for c in categories.values()]
    if form.validate_on_submit() and not form.preview.data:
        created = _create(form, categories.get(form.category_id.data), group.id)
        if created:
            composing.forget_kept(form)
            return redirect(url_for(".topic", topic_id=created.id))
    preview = (service.preview(form.body.data)
               if form.preview.data and form.body.data and not form.errors else None)
    if request.method == "POST":  # a preview, or a post refused: the chosen files stay
        composing.keep_chosen(form)
    return render_template("forums/group_new_topic.html", group=group, form=form,
                           preview=preview, kept=composing.kept_names(form)), \
        400 if form.errors else 200


def _create(form, category, group_id: int):
    """Create the topic, or put the service's objection beside its field."""
    if category is None:
        form.category_id.errors = [_l("Choose a category.")]
        return None
    try:
        return service.create_topic(current_user, category, form.title.data, form.body.data,
                                    composing.chosen_uploads(form), group_id=group_id)
    except ValidationError as exc:
        db.session.rollback()
        field = getattr(form, exc.field or "body", None) or form.body
        field.errors = [*field.errors, exc.message]
        return None


def discussions_section(group, user):
    """The group page's "Discussions" panel, for those who may read them."""
    if not group_permissions.can_see_group_content(user, group.id):
        return None
    topics = list(db.session.scalars(group_topic_query(user, group.id).limit(SECTION_TOPICS)))
    return groups.Section(str(_l("Discussions")), "forums/group_section.html",
                          {"group": group, "topics": topics})


def resolve_topics(user, ids) -> dict[int, groups.LinkTarget]:
    """Topics for work-plan links: title, address, whether ``user`` may open them."""
    found = db.session.scalars(select(Topic).where(Topic.id.in_(list(ids))))
    return {t.id: groups.LinkTarget(t.title, path_for("forums.topic", topic_id=t.id),
                                    permissions.can_view_topic(user, t), t.group_id)
            for t in found}


def register(app: Flask) -> None:
    """The group page's panel and the work plan's "topic" links."""
    groups.register_section(app, "discussions", discussions_section, order=10)
    groups.register_link_kind(app, "topic", resolve_topics, label=str(_l("topic")))
