"""Conversations: the list, starting one, reading and writing, adding, leaving, files."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import confirm, files, search
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from . import permissions, reading, service, writing
from .forms import AddParticipantForm, MessageForm, NewConversationForm, uploads_from
from .models import Message, MessageAttachment

bp = Blueprint("messages", __name__, url_prefix="/messages")


def conversation_or_404(conversation_id: int):
    """The conversation, or 404 if there is none or the member is not in it."""
    found = service.conversation_or_none(current_user, conversation_id)
    if found is None:
        abort(404)
    return found


def message_or_404(message_id: int) -> Message:
    """The message, or 404 if there is none or the member may not see it."""
    found = db.session.get(Message, message_id)
    if found is None or not permissions.can_view_message(current_user, found):
        abort(404)
    return found


def _page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


@bp.get("/")
def index():
    """The member's conversations, the latest first, unread ones marked."""
    pagination = reading.conversations(current_user, _page())
    unread = reading.unread_ids(current_user, [c.id for c in pagination.items])
    return render_template("messages/index.html", pagination=pagination, unread_ids=unread)


def _chosen_recipients() -> list:
    """The members named by ``?to=<id>`` (a profile, a directory card or a post)."""
    ids = [i for i in request.values.getlist("to", type=int) if i]
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids))))


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Start a conversation with the chosen members (and others named)."""
    recipients = _chosen_recipients()
    form = NewConversationForm()
    if form.validate_on_submit():
        try:
            others = service.members_named(form.others.data)
            created = service.start(current_user, [*recipients, *others], form.subject.data,
                                    form.body.data, uploads_from(form))
        except ValidationError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            return redirect(url_for(".conversation", conversation_id=created.id))
    return render_template("messages/new.html", form=form, recipients=recipients), (
        400 if form.errors else 200)


def _field_error(form, exc: ValidationError) -> None:
    """Show a service's refusal beside its field (the first field otherwise)."""
    field = getattr(form, exc.field or "", None) or getattr(form, "body", None) or next(iter(form))
    field.errors = [*field.errors, exc.message]


@bp.get("/<int:conversation_id>")
def conversation(conversation_id: int, form=None, add_form=None, status: int = 200):
    """A conversation's messages; reading it marks it read."""
    found = conversation_or_404(conversation_id)
    page_arg = request.args.get("page", type=int)
    page = reading.messages(found, page_arg)
    response = render_template(
        "messages/conversation.html", conversation=found, page=page,
        form=form or MessageForm(formdata=None), add_form=add_form or AddParticipantForm(
            formdata=None), members=reading.present_members(found),
        blocked=permissions.blocked_ids(current_user),
        max_participants=service.max_participants())
    service.mark_read(current_user, found)
    return response, status


@bp.post("/<int:conversation_id>/send")
def send(conversation_id: int):
    """Write in the conversation; a refused message keeps its text."""
    found = conversation_or_404(conversation_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            sent = service.send(current_user, found, form.body.data, uploads_from(form))
        except ValidationError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            return redirect(url_for(".message_link", message_id=sent.id))
    return conversation(conversation_id, form=form, status=400)


@bp.post("/<int:conversation_id>/add")
def add(conversation_id: int):
    """Bring a member into the conversation, by name."""
    found = conversation_or_404(conversation_id)
    form = AddParticipantForm()
    if form.validate_on_submit():
        try:
            members = service.members_named(form.member.data, field="member")
            for member in members:
                service.add_participant(current_user, found, member)
        except ValidationError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            flash(_("Added. They see the whole conversation, from its first message."),
                  "success")
            return redirect(url_for(".conversation", conversation_id=conversation_id))
    return conversation(conversation_id, add_form=form, status=400)


@bp.route("/<int:conversation_id>/leave", methods=["GET", "POST"])
def leave(conversation_id: int):
    """Leave the conversation, once confirmed: it disappears from the member's list."""
    found = conversation_or_404(conversation_id)
    page = confirm.ask(_("Leave the conversation %(subject)s?", subject=found.subject),
                       _("You will no longer see it or hear of it."),
                       url_for(".conversation", conversation_id=found.id),
                       _("Leave this conversation"))
    if page is not None:
        return page
    service.leave(current_user, found)
    flash(_("You left the conversation; you will no longer see it."), "success")
    return redirect(url_for(".index"))


@bp.get("/m/<int:message_id>")
def message_link(message_id: int):
    """A message's permanent link: its conversation, at the right page."""
    found = message_or_404(message_id)
    before = db.session.scalar(select(db.func.count(Message.id)).where(
        Message.conversation_id == found.conversation_id, Message.id < found.id)) or 0
    page = before // reading.MESSAGES_PER_PAGE + 1
    return redirect(url_for(".conversation", conversation_id=found.conversation_id, page=page,
                            _anchor=f"m{found.id}"))


@bp.get("/attachments/<int:attachment_id>/<path:name>")
def attachment(attachment_id: int, name: str):
    """A file attached to a message, to the participants only (404 to others)."""
    found = db.session.get(MessageAttachment, attachment_id)
    if found is None or not permissions.can_view_message(current_user, found.message):
        abort(404)
    response = send_file(files.path_of(writing.ATTACHMENT_AREA, found.stored_name),
                         mimetype=found.content_type, as_attachment=not found.inline,
                         download_name=found.filename, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/search")
def search_page():
    """Search the member's own conversations."""
    q = request.args.get("q", "").strip()
    results = search.search(permissions.MESSAGE_KIND, current_user, q, page=_page(),
                            per_page=20) if q else None
    items = search.get_adapter(permissions.MESSAGE_KIND).present(results.hits) if results else []
    return render_template("messages/search.html", q=q, results=results, items=items)
