"""What the composer's script asks the server: a live preview (the same sanitised
Markdown as saving), the members one may mention (``@`` autocomplete), and images
pasted or dropped into the text (``images``), served back to those who may see them."""

import re

from flask import abort, jsonify, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import files, visibility
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from . import images, permissions, service
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


@bp.post("/images")
def upload_image():
    """``{"markdown": "![name](url)"}`` for a checked, cleaned image, or 400 and why not."""
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        return jsonify(error=_("Choose an image first.")), 400
    try:
        name = images.store(current_user, upload.filename, upload.read())
    except ValidationError as exc:
        return jsonify(error=exc.message), 400
    alt = re.sub(r"[\[\]\\()]", "", upload.filename.rsplit(".", 1)[0])[:80] or "image"
    url = url_for(".image", name=name)
    return jsonify(markdown=f"![{alt}]({url})", url=url)


@bp.get("/images/<name>")
def image(name: str):
    """A pasted image: to its uploader until a post shows it, then to whoever sees one of
    its posts (the registered post rule); 404 to anyone else, as if it did not exist."""
    if not images.NAMED.fullmatch(f"/forums/images/{name}") or not images.can_fetch(
            current_user, name):
        abort(404)
    path = files.path_of(images.AREA, name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/png" if path.suffix == ".png" else "image/jpeg",
                         conditional=True, etag=True)
    # Asked again each time (a 304 when unchanged): who may see it changes with its post.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
