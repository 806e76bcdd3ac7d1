"""What the composer's script asks the server: a live preview (the same sanitised
Markdown as saving) and the members one may mention (``@`` autocomplete)."""

import re

from flask import jsonify, request
from flask_login import current_user
from sqlalchemy import select

from .. import visibility
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from . import permissions, service
from .models import Topic
from .views import bp

SUGGESTIONS = 8
PROFILE_KIND = "member_profile"  # the members area's registered rule: whom one may see


@bp.post("/preview")
def live_preview():
    """``{"html": …}``: the text as it would be stored, or 400 ``{"error": …}``."""
    try:
        return jsonify(html=service.preview(request.form.get("body", "")))
    except ValidationError as exc:
        return jsonify(error=exc.message), 400


@bp.get("/mentionable")
def mentionable():
    """Members whose name contains ``q`` that the author may see (and, given a topic,
    who may see it: a mention of anyone else would tell nobody)."""
    words = " ".join(request.args.get("q", "").split())[:60]
    if len(words) < 2:
        return jsonify(members=[])
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (select(User).where(visibility.rule_for(PROFILE_KIND).clause(current_user),
                                User.display_name.ilike(pattern, escape="\\"),
                                User.id != current_user.id)
             .order_by(User.display_name).limit(SUGGESTIONS * 2))
    found = list(db.session.scalars(query))
    topic = db.session.get(Topic, request.args.get("topic", 0, type=int))
    if topic is not None and permissions.can_view_topic(current_user, topic):
        found = [u for u in found if permissions.can_view_topic(u, topic)]
    return jsonify(members=[{"name": u.display_name, "handle": re.sub(r"\W+", "", u.display_name)}
                            for u in found[:SUGGESTIONS]])
