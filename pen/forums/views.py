"""Reading and writing: categories, topic lists, topics, replies, edits, downloads, feeds."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import confirm, files
from ..auth.access import public, safe_next
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from ..notifications import feedkeys
from . import (
    composing,
    corrections,
    drafts,
    feeds,
    fragments,
    links,
    listing,
    marks,
    permissions,
    posting,
    reactions,
    reading,
    service,
    tags,
    topic_views,
    watching,
    words,
)
from .forms import EditForm, PostForm, TopicForm
from .models import Attachment, Category, Post, PostRevision, Topic

bp = Blueprint("forums", __name__, url_prefix="/forums")


# A topic page shows its author's name only, not their roles.
TOPIC_LOAD = [joinedload(Topic.author).lazyload(User.roles)]


def category_or_404(slug: str) -> Category:
    """The category with this slug, or 404."""
    return db.first_or_404(select(Category).where(Category.slug == slug))


def topic_or_404(topic_id: int) -> Topic:
    """The topic, or 404 if there is none or it is not open to the member."""
    topic = db.session.get(Topic, topic_id, options=TOPIC_LOAD)
    if topic is None or not permissions.can_view_topic(current_user, topic):
        abort(404)
    return topic


def post_or_404(post_id: int) -> Post:
    """The post, or 404 if there is none or it is not open to the member."""
    post = db.session.get(Post, post_id)
    if post is None or not permissions.can_view_post(current_user, post):
        abort(404)
    return post


def saved_id(obj) -> int:
    """The id of an object just committed, without loading it again (after a commit
    every attribute is expired; the identity stays)."""
    return sa_inspect(obj).identity[0]


def page_number() -> int:
    """The page a list was asked for (``?page=``): 1 when missing, not a number or below 1."""
    return max(1, request.args.get("page", 1, type=int) or 1)


@bp.get("/")
def index():
    """Categories with their topic and post counts and latest activity."""
    cats = reading.categories()
    return render_template("forums/index.html", categories=cats,
                           latest=reading.latest_topics(cats))


@bp.get("/c/<slug>")
def category(slug: str):
    """A category's topics, by latest activity; solved, unsolved or unread only."""
    found = category_or_404(slug)
    show = request.args.get("show", "all")
    show = show if show in reading.FILTERS else "all"
    page = reading.topic_page(current_user, found, show, page_number())
    return render_template("forums/category.html", category=found, page=page, show=show,
                           **listing.context(current_user, page.items),
                           level=watching.category_level(current_user, found),
                           draft=drafts.find(current_user, drafts.category_place(found)),
                           feed_token=feedkeys.token_for(current_user))


@bp.get("/t/<int:topic_id>")
def topic(topic_id: int):
    """A page of a topic's posts; remembers how far the member has read."""
    found = topic_or_404(topic_id)
    user = current_user._get_current_object()
    page = reading.post_page(user, found, page_number())
    form, mine = PostForm(formdata=None), marks.on_page(user, found, page.items)
    if mine.draft is not None:
        form.body.data = mine.draft.body
    labels = words.labels(reactions.LABELS)
    response = render_template(
        "forums/topic.html", topic=found, page=page, form=form, draft=mine.draft,
        accepted=reading.accepted_answer(user, found), level=mine.level,
        allowed=reading.allowed_actions(user, found, page.items),
        reactions=reactions.tallies(user, [p.id for p in page.items]),
        reaction_labels=labels, reaction_button=fragments.reaction_buttons(labels),
        links=links.topic_page(found.id), words=words.post_words(),
        bookmarked=mine.bookmarked,
        topic_tags=tags.by_topic([found.id]).get(found.id, []),
        all_tags=tags.all_tags() if tags.may_tag(user, found) else [])
    if page.items:
        reading.mark_read(current_user, found, page.items[-1].number, mine.read)
    topic_views.count_view(found.id)
    return response


@bp.get("/t/<int:topic_id>/unread")
def first_unread(topic_id: int):
    """Jump to the first post the member has not read yet."""
    found = topic_or_404(topic_id)
    number = reading.first_unread(current_user, found)
    number = reading.first_visible_number(current_user, found, number) or max(
        1, found.last_post_number)
    page = reading.page_of(number)
    return redirect(url_for(".topic", topic_id=found.id, page=page, _anchor=f"n{number}"))


@bp.get("/p/<int:post_id>")
def post_link(post_id: int):
    """A post's permanent link: its topic, at the right page."""
    post = post_or_404(post_id)
    page = reading.page_of(post.number)
    return redirect(url_for(".topic", topic_id=post.topic_id, page=page, _anchor=f"p{post.id}"))


@bp.route("/c/<slug>/new", methods=["GET", "POST"])
def new_topic(slug: str):
    """Start a topic, with a preview of the first post."""
    found = category_or_404(slug)
    if not permissions.can_create_topic(current_user, found):
        abort(403)
    form, place = TopicForm(), drafts.category_place(found)
    form.tags.choices = [(t.id, t.name) for t in tags.all_tags()]
    if composing.draft_requested(form):
        return composing.keep_draft(form, place, url_for(".new_topic", slug=slug)) or \
            _form_page("forums/new_topic.html", form, category=found)
    draft = composing.fill_from_draft(form, place)
    if form.validate_on_submit() and not form.preview.data:
        created = _save(form, lambda: service.create_topic(
            current_user, found, form.title.data, form.body.data,
            composing.chosen_uploads(form)))
        if created:
            composing.forget_kept(form)
            if form.tags.data:
                tags.set_for_topic(current_user, created, form.tags.data)
            return redirect(url_for(".topic", topic_id=saved_id(created)))
    return _form_page("forums/new_topic.html", form, category=found, draft=draft)


@bp.route("/t/<int:topic_id>/reply", methods=["GET", "POST"])
def reply(topic_id: int):
    """Reply to a topic (``?quote=<post id>`` starts with a quotation), with a preview."""
    found = topic_or_404(topic_id)
    if not permissions.can_reply(current_user, found):
        abort(403)
    form, place = PostForm(), drafts.topic_place(found)
    if composing.draft_requested(form):
        return composing.keep_draft(form, place, url_for(".reply", topic_id=found.id)) or \
            _form_page("forums/reply.html", form, topic=found)
    quote = request.args.get("quote", type=int) if request.method == "GET" else None
    draft = composing.fill_from_draft(form, place, _quotation(quote, found) if quote else "")
    if form.validate_on_submit() and not form.preview.data:
        created = _save(form, lambda: service.reply(current_user, found, form.body.data,
                                                    composing.chosen_uploads(form)))
        if created:
            composing.forget_kept(form)
            return redirect(url_for(".post_link", post_id=saved_id(created)))
    return _form_page("forums/reply.html", form, topic=found, draft=draft)


def _quotation(post_id: int, topic: Topic) -> str:
    """A post of this topic as Markdown quotation, naming its author."""
    post = db.session.get(Post, post_id)
    if post is None or post.topic_id != topic.id or not permissions.can_view_post(
            current_user, post):
        return ""
    name = post.author.display_name if post.author else _("Someone")
    quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
    link = url_for(".post_link", post_id=post.id)
    return _("> **%(name)s** [wrote](%(link)s):", name=name, link=link) + "\n>\n" + quoted + "\n\n"


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id: int):
    """Edit a post; the previous version stays in its history."""
    post = post_or_404(post_id)
    if not permissions.can_edit_post(current_user, post):
        abort(403)
    data = None if request.method == "POST" else {"body": post.body, "title": post.topic.title}
    form = EditForm(data=data)
    if post.number != 1:
        del form.title  # only the opening post carries the topic's title
    if form.validate_on_submit() and not form.preview.data:
        title = form.title.data if post.number == 1 else None
        if _save(form, lambda: service.edit_post(current_user, post, form.body.data, title,
                                                 composing.chosen_uploads(form))):
            composing.forget_kept(form)
            flash(_("Your changes were saved."), "success")
            return redirect(url_for(".post_link", post_id=post_id))
    return _form_page("forums/edit.html", form, post=post)


def _save(form, action):
    """Run a service call; put a ValidationError beside its field and return None."""
    try:
        return action()
    except ValidationError as exc:
        db.session.rollback()
        field = getattr(form, exc.field or "body", None) or form.body
        field.errors = [*field.errors, exc.message]
        return None


def _form_page(template: str, form, **context):
    """A writing form, with the preview when asked for; 400 when it has errors."""
    preview = None
    if form.preview.data and not form.errors:
        try:
            preview = service.preview(form.body.data)
        except ValidationError as exc:
            form.body.errors = [*form.body.errors, exc.message]
    if request.method == "POST":  # a preview, or a post refused: the chosen files stay
        composing.keep_chosen(form)
    status = 400 if form.errors else 200
    return render_template(template, form=form, preview=preview,
                           kept=composing.kept_names(form), **context), status


@bp.get("/p/<int:post_id>/history")
def history(post_id: int):
    """Every version of a post, newest first."""
    post = post_or_404(post_id)
    revisions = list(db.session.scalars(select(PostRevision).where(
        PostRevision.post_id == post.id).order_by(PostRevision.version.desc())))
    redactions = corrections.redactions(revisions)
    redactors = reading.display_names({e.actor_id for e in redactions.values()})
    return render_template("forums/history.html", post=post, revisions=revisions,
                           redactions=redactions, redactors=redactors,
                           may_redact=permissions.can_redact_revision(current_user, post))


@bp.route("/p/<int:post_id>/delete", methods=["GET", "POST"])
def delete(post_id: int):
    """Soft-delete a post (the first post deletes the topic), once confirmed."""
    post = post_or_404(post_id)
    service.check_delete(current_user, post)
    page = confirm.ask(*_delete_question(post), url_for(".post_link", post_id=post.id),
                       _("Delete the topic") if post.number == 1 else _("Delete the post"))
    if page is not None:
        return page
    service.delete_post(current_user, post)
    flash(_("The post was deleted."), "success")
    if post.number == 1:
        return redirect(url_for(".category", slug=post.topic.category.slug))
    return redirect(url_for(".topic", topic_id=post.topic_id))


def _delete_question(post: Post) -> tuple[str, str]:
    """What deleting ``post`` asks and does."""
    if post.number == 1:
        return (_("Delete the topic %(title)s?", title=post.topic.title),
                _("Its replies go with it; members no longer see it, and moderators can "
                  "restore it."))
    author = post.author.display_name if post.author else _("a former member")
    return (_("Delete this reply by %(author)s?", author=author),
            _("Members no longer see it; moderators can restore it."))


@bp.post("/t/<int:topic_id>/accept")
def accept(topic_id: int):
    """Mark a reply as the accepted answer (or clear it)."""
    found = topic_or_404(topic_id)
    post_id = request.form.get("post_id", type=int)
    post = post_or_404(post_id) if post_id else None
    try:
        service.accept_answer(current_user, found, post)
    except ValidationError as exc:
        flash(exc.message, "danger")
    return redirect(url_for(".topic", topic_id=found.id))


@bp.post("/t/<int:topic_id>/watch")
def watch_topic(topic_id: int):
    """Watch, mute or stop following a topic."""
    found = topic_or_404(topic_id)
    _set_level(watching.set_topic_level, found, {
        "watching": _("You watch this topic: you will hear of new replies."),
        "muted": _("This topic is muted: it will not notify you."),
        "none": _("You no longer follow this topic.")})
    return redirect(url_for(".topic", topic_id=found.id))


@bp.post("/c/<slug>/watch")
def watch_category(slug: str):
    """Watch, mute or stop following a category."""
    found = category_or_404(slug)
    _set_level(watching.set_category_level, found, {
        "watching": _("You watch this category: you will hear of its new topics and replies."),
        "muted": _("This category is muted: only topics you start or watch, and mentions "
                   "of you, will notify you."),
        "none": _("You no longer follow this category.")})
    return redirect(url_for(".category", slug=found.slug))


def _set_level(setter, target, messages: dict[str, str]) -> None:
    """Apply the level the member chose and say what it means now (or what was wrong)."""
    level = request.form.get("level", "")
    try:
        setter(current_user, target, level)
    except ValidationError as exc:
        flash(exc.message, "danger")
    else:
        flash(messages[level], "success")


@bp.get("/attachments/<int:attachment_id>/<path:name>")
def attachment(attachment_id: int, name: str):
    """A file attached to a post, to members who may see the post (404 to others)."""
    found = db.session.get(Attachment, attachment_id)
    if found is None or not permissions.can_view_post(current_user, found.post):
        abort(404)
    response = send_file(files.path_of(posting.ATTACHMENT_AREA, found.stored_name),
                         mimetype=found.content_type, as_attachment=not found.inline,
                         download_name=found.filename, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/c/<slug>/feed.atom")
@public
def feed(slug: str):
    """A category's latest posts as Atom, for the member whose feed key is in the link
    (or, without a key, for the member signed in: others are sent to the login page)."""
    token = request.args.get("key")
    if token is None and not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=safe_next(request.full_path)))
    user = current_user if token is None else feedkeys.user_for_token(token)
    found = db.session.scalar(select(Category).where(Category.slug == slug))
    if not feedkeys.may_read_feeds(user):  # outside the test group in pilot mode
        user = None
    if user is None or found is None:
        abort(404)
    return Response(feeds.atom(user, found), mimetype="application/atom+xml",
                    headers={"Cache-Control": "private, no-store"})
