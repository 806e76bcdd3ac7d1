"""Images pasted or dropped into a post's text: checked, turned upright, shrunk to at
most ``MAX_SIDE`` pixels a side, re-encoded without metadata (EXIF, text chunks) and
stored under a random name; the composer puts ``![name](/forums/images/<name>)`` in the
text.

Refused, each with the reason: a file that is not an image Pillow reads as PNG, JPEG,
GIF or WebP; an SVG (it can carry scripts); more than ``MAX_PIXELS`` pixels (a 50
megapixel PNG, a decompression bomb: the size is read from the header, before any
decoding); more bytes than a forum attachment may have.
"""

from io import BytesIO
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _

from .. import audit, files
from ..errors import ValidationError
from ..extensions import db

if TYPE_CHECKING:
    from PIL import Image

AREA = "forum-images"
ACCEPTED = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_PIXELS = 25_000_000
MAX_SIDE = 1600


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
    audit.record(actor, "forum.image", None, name=name, size=len(data))
    db.session.commit()
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
