"""The bell in the header: its count as JSON (polled by ``static/js/bell.js``) and the
latest notifications as a fragment it opens in place, marked read once shown.

Without JavaScript the bell is a link to the notifications page and none of this is
asked for. A poll costs the signed-in member's load and ``service.unread_count``: one
indexed query when nothing is unread, two otherwise (``tests/notifications/test_bell``).
"""

from flask import jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from .service import kind_labels, mark_read, unread_count
from .service import latest as latest_notes
from .views import bp

BELL_SIZE = 8  # notifications shown in the bell's panel


def _no_store(response):
    """A member's own numbers: never kept by a cache."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/count")
def count():
    """``{"unread": n}`` for the bell's polling."""
    return _no_store(jsonify(unread=unread_count(current_user)))


@bp.get("/latest")
def latest():
    """The newest notifications as an HTML fragment, for the bell's panel."""
    notes = latest_notes(current_user, BELL_SIZE)
    return _no_store(make_response(render_template("notifications/_bell.html", notes=notes,
                                                   registered_labels=kind_labels())))


@bp.post("/seen")
def seen():
    """Mark the notifications the panel showed read; the new count (JSON) or the page."""
    mark_read(current_user, request.form.getlist("id", type=int))
    if request.accept_mimetypes.best == "application/json":
        return _no_store(jsonify(unread=unread_count(current_user)))
    return redirect(url_for(".index"))
