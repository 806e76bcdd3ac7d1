"""What the writing pages share about drafts: saving one from the form (the "Save draft"
button, for pages without JavaScript) and starting the form from one."""

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from . import drafts


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
