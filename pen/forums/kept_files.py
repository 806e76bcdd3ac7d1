"""Files chosen before a preview, kept for the post that follows.

A browser forgets the chosen files when the preview page comes back, so the preview
stores them (checked like any attachment) under random names in
``UPLOADS_DIR/forum-pending/`` and the form carries a signed token naming them, bound to
the member and valid for a day. Posting attaches them and removes the pending copies;
the worker's ``forum pending files`` task removes those left behind after a day.
"""

import time

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import files
from .posting import Upload

AREA = "forum-pending"
MAX_AGE = 24 * 3600
_SALT = "pen.forums.kept-files"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def entries(user, token: str | None) -> list[tuple[str, str]]:
    """(stored name, file name) of the files the token keeps for ``user``; none for a
    forged, expired or someone else's token, or files gone."""
    if not token:
        return []
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except BadSignature:
        return []
    if not isinstance(data, dict) or data.get("u") != user.id:
        return []
    return [(stored, name) for stored, name in data.get("f", [])
            if files.path_of(AREA, stored).is_file()]


def keep(user, uploads: list[Upload], token: str | None) -> str:
    """Store ``uploads`` beside those already kept; the token naming them all."""
    kept = entries(user, token) + [(files.store_bytes(AREA, u.data, ""),
                                    files.safe_filename(u.filename)) for u in uploads]
    return _serializer().dumps({"u": user.id, "f": kept}) if kept else ""


def uploads(user, token: str | None) -> list[Upload]:
    """The kept files as uploads, to attach with the post."""
    return [Upload(name, files.path_of(AREA, stored).read_bytes())
            for stored, name in entries(user, token)]


def drop(user, token: str | None) -> None:
    """Remove the pending copies (the post has its own)."""
    for stored, _name in entries(user, token):
        files.delete(AREA, stored)


def sweep() -> int:
    """Remove pending files older than a day (worker task); how many, 0 when idle."""
    folder, removed = files.upload_dir(AREA), 0
    for path in folder.iterdir():
        if path.is_file() and time.time() - path.stat().st_mtime > MAX_AGE:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
