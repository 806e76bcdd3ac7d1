"""Images pasted or dropped into a post's text: checked, turned upright, shrunk to at
most ``MAX_SIDE`` pixels a side, re-encoded without metadata (EXIF, text chunks) and
stored under a random name; the composer puts ``![name](/forums/images/<name>)`` in the
text.

Refused, each with the reason: a file that is not an image Pillow reads as PNG, JPEG,
GIF or WebP; an SVG (it can carry scripts); more than ``MAX_PIXELS`` pixels (a 50
megapixel PNG, a decompression bomb: the size is read from the header, before any
decoding); more bytes than a forum attachment may have.

Each image is recorded with its uploader (``PastedImage``). Until a post shows it, only
the uploader fetches it; saving a post (topic, reply or edit) whose text names the
writer's own images ties them to that post (``claim``), and from then on the image is
served to whoever sees one of its posts, by the registered post rule (404 otherwise:
a private group's post, a deleted post, a hidden topic). Naming someone else's image
ties nothing. The worker's ``forum pasted images`` task removes images in no post after
``FORUM_IMAGE_GRACE_HOURS``, files included, sparing those a draft of their uploader
still names (``sweep``).
"""

import re
from datetime import timedelta
from io import BytesIO
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, exists, insert, select

from .. import audit, files
from ..errors import ValidationError
from ..extensions import db
from ..types import utcnow
from . import permissions
from .models import Draft, PastedImage, PastedImageUse, Post

if TYPE_CHECKING:
    from PIL import Image

AREA = "forum-images"
ACCEPTED = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_PIXELS = 25_000_000
MAX_SIDE = 1600
GRACE_HOURS = 24  # default of FORUM_IMAGE_GRACE_HOURS
SWEEP_BATCH = 500  # images removed per worker pass at most
NAMED = re.compile(r"/forums/images/([0-9a-f]{32}\.(?:png|jpg))\b")


def store(actor, filename: str, data: bytes) -> str:
    """Check and clean the image; its stored name (audited)."""
    from PIL import ImageOps  # imported where used
    image = _open_checked(filename, data)
    keep_png = image.format in ("PNG", "GIF")
    image = ImageOps.exif_transpose(image)  # the camera's rotation, before EXIF goes
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    output = BytesIO()
    if keep_png:  # screenshots and drawings stay sharp, transparency kept
        image.convert("RGBA").save(output, "PNG", optimize=True)
    else:
        image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
    name = files.store_bytes(AREA, output.getvalue(), ".png" if keep_png else ".jpg")
    db.session.add(PastedImage(stored_name=name, uploader_id=actor.id))
    audit.record(actor, "forum.image", None, name=name, size=len(data))
    files.commit_or_remove(AREA, [name])
    return name


def _open_checked(filename: str, data: bytes) -> "Image.Image":
    """The decoded image, or a ValidationError saying what is wrong with the file."""
    from PIL import Image, UnidentifiedImageError  # imported where used: 2 MB a worker

    limit = int(float(current_app.config["FORUM_ATTACHMENT_MAX_MB"]) * 2**20)
    if len(data) > limit:
        raise ValidationError(_("The image is larger than %(mb)s MB.",
                                mb=current_app.config["FORUM_ATTACHMENT_MAX_MB"]), field="image")
    head = data[:1024].lstrip().lower()
    if filename.lower().endswith(".svg") or b"<svg" in head or head.startswith(b"<?xml"):
        raise ValidationError(_("SVG images are not accepted: they can carry scripts. "
                                "Export the drawing as PNG."), field="image")
    unreadable = ValidationError(_("This file is not an image we can read: paste or drop a "
                                   "PNG, JPEG, GIF or WebP image."), field="image")
    try:
        with Image.open(BytesIO(data)) as probe:
            if probe.format not in ACCEPTED:
                raise unreadable
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This image has %(mp)s megapixels; the limit is "
                                        "%(max)d. Make it smaller first.",
                                        mp=f"{probe.width * probe.height / 1e6:.0f}",
                                        max=MAX_PIXELS // 1_000_000), field="image")
            probe.verify()
        image = Image.open(BytesIO(data))
        image.load()
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("This image has too many pixels; the limit is %(max)d "
                                "megapixels.", max=MAX_PIXELS // 1_000_000),
                              field="image") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise unreadable from exc
    return image


def claim(writer, post: Post) -> int:
    """Tie the images of ``writer`` that the post's text names to the post (in the
    caller's transaction); how many were newly tied. Images of anyone else stay as they
    were: pasting another member's link shows nobody anything new."""
    names = set(NAMED.findall(post.body or ""))
    if not names or writer is None or writer.id is None:
        return 0
    db.session.flush()
    already = select(PastedImageUse.image_id).where(PastedImageUse.post_id == post.id)
    ids = list(db.session.scalars(select(PastedImage.id).where(
        PastedImage.stored_name.in_(names), PastedImage.uploader_id == writer.id,
        PastedImage.id.not_in(already))))
    if ids:
        db.session.execute(insert(PastedImageUse), [{"image_id": i, "post_id": post.id}
                                                    for i in ids])
    return len(ids)


def can_fetch(user, name: str) -> bool:
    """Whether ``user`` may fetch the stored image ``name``: its uploader while no post
    shows it; afterwards whoever sees one of its posts (the registered post rule)."""
    found = db.session.execute(select(
        PastedImage.id, PastedImage.uploader_id,
        exists().where(PastedImageUse.image_id == PastedImage.id))
        .where(PastedImage.stored_name == name)).first()
    if found is None:
        return False
    image_id, uploader_id, posted = found
    if not posted:
        return uploader_id is not None and uploader_id == user.id
    uses = select(PastedImageUse.post_id).where(PastedImageUse.image_id == image_id)
    return bool(db.session.scalar(select(exists(select(Post.id).where(
        Post.id.in_(uses), permissions.visible_post_clause(user))))))


def grace() -> timedelta:
    """How long an image may wait for its post (FORUM_IMAGE_GRACE_HOURS)."""
    return timedelta(hours=float(current_app.config.get("FORUM_IMAGE_GRACE_HOURS",
                                                        GRACE_HOURS)))


def sweep() -> int:
    """Remove images no post shows nor their uploader's draft names, sent longer ago than
    the grace period, with their files (worker task); how many, 0 when idle."""
    in_a_post = exists().where(PastedImageUse.image_id == PastedImage.id)
    in_a_draft = exists().where(Draft.user_id == PastedImage.uploader_id,
                                Draft.body.contains(PastedImage.stored_name))  # hex: no wildcards
    ids = list(db.session.scalars(select(PastedImage.id).where(
        PastedImage.created_at < utcnow() - grace(), ~in_a_post, ~in_a_draft)
        .order_by(PastedImage.id).limit(SWEEP_BATCH)))
    if not ids:
        return 0
    # The condition again: a post that tied one meanwhile keeps it.
    names = list(db.session.scalars(delete(PastedImage).where(
        PastedImage.id.in_(ids), ~in_a_post).returning(PastedImage.stored_name)))
    db.session.commit()
    for name in names:  # after the commit, so that no row names a missing file
        files.delete(AREA, name)
    return len(names)
