"""Profile photos: checked, turned upright, resized, re-encoded without metadata."""

from io import BytesIO
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from ..errors import ValidationError

if TYPE_CHECKING:
    from PIL import Image

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
SIZE = (512, 512)
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them


def process(data: bytes, max_bytes: int) -> bytes:
    """A JPEG of at most 512 by 512 pixels with no EXIF, or a ValidationError saying why not."""
    from PIL import ImageOps  # imported where used
    if len(data) > max_bytes:
        raise ValidationError(_("The photo is larger than %(mb)d MB.", mb=max_bytes // 2**20),
                              field="photo")
    image = _open_checked(data)
    image = ImageOps.exif_transpose(image)  # honour the camera's rotation before dropping EXIF
    image.thumbnail(SIZE)
    output = BytesIO()
    image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)  # no exif= : stripped
    return output.getvalue()


def _open_checked(data: bytes) -> "Image.Image":
    """Open the image if it is one of the accepted formats and of sane dimensions."""
    from PIL import Image, UnidentifiedImageError  # imported where used: 2 MB a worker

    unreadable = ValidationError(
        _("This file is not a photo we can read. Please upload a JPEG, PNG, WebP or GIF image."),
        field="photo")
    try:
        with Image.open(BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise unreadable
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels."), field="photo")
            probe.verify()
        image = Image.open(BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise unreadable from exc
    return image
