"""Drafts over the wire: the composer's autosave (JSON, CSRF as every POST) and the
"Discard draft" button."""

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from . import drafts, permissions
from .views import bp, category_or_404, topic_or_404


@bp.post("/t/<int:topic_id>/draft")
def autosave_reply(topic_id: int):
    """Keep the reply being written to a topic one may reply to."""
    found = topic_or_404(topic_id)
    if not permissions.can_reply(current_user, found):
        abort(403)
    return _autosave(drafts.topic_place(found))


@bp.post("/c/<slug>/draft")
def autosave_topic(slug: str):
    """Keep the new topic being written in a category."""
    found = category_or_404(slug)
    if not permissions.can_create_topic(current_user, found):
        abort(403)
    return _autosave(drafts.category_place(found))


def _autosave(place: str):
    """``{"saved": true}``, or 400 with ``{"error": reason, "field": name}``."""
    try:
        kept = drafts.save(current_user, place, request.form.get("body", ""),
                           request.form.get("title", ""))
    except ValidationError as exc:
        return jsonify(error=exc.message, field=exc.field or "body"), 400
    return jsonify(saved=kept is not None)


@bp.post("/t/<int:topic_id>/draft/discard")
def discard_reply(topic_id: int):
    """Throw the reply's draft away and start again."""
    found = topic_or_404(topic_id)
    drafts.discard(current_user, drafts.topic_place(found))
    flash(_("Your draft was discarded."), "success")
    return redirect(url_for(".reply", topic_id=found.id))


@bp.post("/c/<slug>/draft/discard")
def discard_topic(slug: str):
    """Throw the new topic's draft away and start again."""
    found = category_or_404(slug)
    drafts.discard(current_user, drafts.category_place(found))
    flash(_("Your draft was discarded."), "success")
    return redirect(url_for(".new_topic", slug=found.slug))
