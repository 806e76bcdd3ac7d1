"""What the writing pages share: drafts (the "Save draft" button, for pages without
JavaScript, and starting the form from one) and the files kept across a preview or a
refused post."""

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from . import drafts, kept_files, posting
from .forms import uploads_from


def draft_requested(form) -> bool:
    """The member pressed "Save draft" rather than preview or post."""
    return request.method == "POST" and bool(getattr(form, "save_draft", None)
                                             and form.save_draft.data)


def keep_draft(form, place: str, back_url: str):
    """Save the form as the member's draft and go back to it; None (the error beside
    its field, the text kept in the form) when refused."""
    title = getattr(form, "title", None)
    try:
        drafts.save(current_user, place, form.body.data, title.data if title else "")
    except ValidationError as exc:
        field = getattr(form, exc.field or "body", None) or form.body
        field.errors = [*field.errors, exc.message]
        return None
    flash(_("Your draft was saved: it waits here for you, on any device."), "success")
    return redirect(back_url)


def fill_from_draft(form, place: str, prefix: str = ""):
    """On a fresh form (GET), start from the member's draft; the draft (or None)."""
    draft = drafts.find(current_user, place)
    if draft is not None and request.method == "GET":
        form.body.data = draft.body + (("\n\n" + prefix) if prefix else "")
        if getattr(form, "title", None) is not None and draft.title:
            form.title.data = draft.title
    elif prefix and request.method == "GET":
        form.body.data = prefix
    return draft


def chosen_uploads(form) -> list:
    """The files chosen now and those kept from a preview."""
    return uploads_from(form) + kept_files.uploads(current_user, form.kept_files.data)


def keep_chosen(form) -> None:
    """On a preview or a refused post: check the chosen files with those kept before and
    keep them all (the form carries their token), or put the objection beside the files
    field (once: a post refused for its files has it there already)."""
    if form.attachments.errors:
        return
    new = uploads_from(form)
    try:
        posting.check_uploads(kept_files.uploads(current_user, form.kept_files.data) + new)
    except ValidationError as exc:
        form.attachments.errors = [*form.attachments.errors, exc.message]
        return
    form.kept_files.data = kept_files.keep(current_user, new, form.kept_files.data)


def kept_names(form) -> list[str]:
    """The names of the files kept from a preview, to show with the form."""
    return [name for _stored, name in kept_files.entries(current_user,
                                                          form.kept_files.data)]


def forget_kept(form) -> None:
    """The post is saved with its files: remove the pending copies."""
    kept_files.drop(current_user, form.kept_files.data)
