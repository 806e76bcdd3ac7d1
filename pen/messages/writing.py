"""What writing a message involves: the text, its HTML, its files (checked like a
forum post's, with the same limits). Helpers of ``service``: they never commit."""


from flask import current_app
from flask_babel import gettext as _

from .. import files, markup
from ..errors import ValidationError
from ..extensions import db
from .models import Message, MessageAttachment

ATTACHMENT_AREA = "messages"
SUBJECT_MAX = 200
BODY_MAX = 50_000


Upload = files.Upload  # the name the area's callers use


def check_subject(subject: str) -> str:
    """The subject on one line, or a ValidationError."""
    cleaned = " ".join((subject or "").split())
    if not cleaned:
        raise ValidationError(_("Give the conversation a subject."), field="subject")
    if len(cleaned) > SUBJECT_MAX:
        raise ValidationError(_("The subject has %(n)d characters; the limit is %(max)d.",
                                n=len(cleaned), max=SUBJECT_MAX), field="subject")
    return cleaned


def check_body(body: str) -> str:
    """The text of a message, or a ValidationError (empty, or too long: by how much)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), field="body")
    if len(body) > BODY_MAX:
        raise ValidationError(_("Your text has %(n)s characters; the limit is %(max)s.",
                                n=f"{len(body):,}", max=f"{BODY_MAX:,}"), field="body")
    return body


def check_uploads(uploads: list[Upload]) -> list[tuple[Upload, files.FileType]]:
    """Every upload checked (type by content, size, count) before anything is stored:
    the forum attachments' rules and limits."""
    limit = int(current_app.config["FORUM_ATTACHMENTS_PER_POST"])
    max_bytes = int(float(current_app.config["FORUM_ATTACHMENT_MAX_MB"]) * 2**20)
    return files.check_uploads(uploads, limit, max_bytes,
                               _("Attach at most %(n)d files to a message.", n=limit))


def new_message(conversation, author, body: str, checked) -> tuple[Message, list[str]]:
    """Add a message with its files; (the message, the stored file names)."""
    message = Message(conversation=conversation, author=author, body=body,
                      body_html=markup.render(body))
    db.session.add(message)
    stored = []
    for upload, kind in checked:
        name = files.store_bytes(ATTACHMENT_AREA, upload.data, kind.extensions[0])
        stored.append(name)
        message.attachments.append(MessageAttachment(
            stored_name=name, filename=files.safe_filename(upload.filename),
            content_type=kind.content_type, inline=kind.inline, size=len(upload.data)))
    return message, stored


def commit_or_remove(stored: list[str]) -> None:
    """Commit; if that fails, remove the files written for it and re-raise."""
    files.commit_or_remove(ATTACHMENT_AREA, stored)
