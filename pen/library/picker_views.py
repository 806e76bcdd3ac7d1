"""The picker's suggestions, as JSON for the page's script (routes of ``library``)."""

from flask import jsonify, request
from flask_login import current_user

from . import picker
from .views import bp

SUGGESTIONS = 10


@bp.get("/pick.json")
def pick():
    """Documents the member may open whose title holds ``q`` (``group``: of that group
    or of none), newest first: id, title, language, date."""
    group_id = request.args.get("group", type=int)
    found = picker.search(current_user, request.args.get("q", ""), group_id, SUGGESTIONS)
    response = jsonify(documents=[choice.as_json() for choice in found])
    response.headers["Cache-Control"] = "private, no-store"
    return response
