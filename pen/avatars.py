"""Members' faces: initials on a colour for those without a photo, thumbnails for the rest.

Everything here is drawn locally (no external avatar service sees who reads what).
The colour and the initials follow from the display name only, so a member keeps the
same face on every page without anything stored.
"""

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from flask import Flask, url_for
from markupsafe import Markup

SIZES = (32, 64)  # the sizes pages use: lists and posts (32), and high-density screens (64)
# Hues are picked from the name; saturation and lightness are fixed so that white
# initials on any of them keep a contrast ratio above 4.5:1 (WCAG AA).
SATURATION, LIGHTNESS = 55, 34

# Scripts written without spaces between given and family names, where one sign says enough.
_ONE_SIGN_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")


@dataclass(frozen=True)
class Face:
    """What the avatar macro needs of a member, when a list reads columns, not accounts."""

    id: int
    display_name: str
    avatar_key: str | None


def initials(name: str) -> str:
    """One or two letters standing for the name: the first letters of its first and last
    words, or the first sign alone for Chinese, Japanese and Korean names."""
    words = [w for w in (name or "").split() if any(ch.isalnum() for ch in w)]
    if not words:
        return "?"
    first = _first_letter(words[0])
    if unicodedata.name(first, "").startswith(_ONE_SIGN_SCRIPTS) or len(words) == 1:
        return first.upper()
    return (first + _first_letter(words[-1])).upper()


def _first_letter(word: str) -> str:
    """The first letter or digit of a word (skipping quotes and brackets)."""
    return next(ch for ch in word if ch.isalnum())


def colour(name: str) -> str:
    """A dark colour for the name (the same name always gets the same one)."""
    digest = hashlib.sha256((name or "").encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    return f"hsl({hue}, {SATURATION}%, {LIGHTNESS}%)"


def face(user, size: int = 32) -> Markup:
    """A member's face beside their name (the ``avatar`` macro of macros/avatar.html):
    the photo's thumbnail, or initials on a colour. In Python because a topic list
    shows 60 of them, and the initials of a name are drawn once per process."""
    if user and user.avatar_key:
        src = url_for("members.avatar", user_id=user.id, photo=user.avatar_key, size=size)
        srcset = Markup(' srcset="{} 2x"').format(url_for(
            "members.avatar", user_id=user.id, photo=user.avatar_key, size=size * 2)) \
            if size * 2 in SIZES else ""
        return Markup('<img class="pen-avatar" src="{}"{} width="{}" height="{}" alt="" '
                      'loading="lazy">').format(src, srcset, size, size)
    return _drawn(user.display_name if user else "", size)


@lru_cache(maxsize=8192)
def _drawn(name: str, size: int) -> Markup:
    """Initials on the name's colour, ``size`` pixels wide (the name is escaped)."""
    letters = initials(name)
    return Markup(
        '<svg class="pen-avatar" width="{0}" height="{0}" viewBox="0 0 32 32" aria-hidden="true" '
        'focusable="false"><circle cx="16" cy="16" r="16" fill="{1}"/><text x="16" y="16" '
        'dy=".35em" text-anchor="middle" font-size="{2}" font-family="system-ui, sans-serif" '
        'fill="#fff">{3}</text></svg>').format(size, colour(name), 14 if len(letters) > 1 else 16,
                                               letters)


def thumbnail_name(photo: str, size: int) -> str:
    """The stored name of a photo's thumbnail of this size."""
    return f"{Path(photo).stem}-{size}.jpg"


def ensure_thumbnail(photo_path: Path, thumb_path: Path, size: int) -> Path:
    """Make the thumbnail once (atomically, so concurrent requests never see half a file)."""
    if thumb_path.exists():
        return thumb_path
    from PIL import Image  # only when a thumbnail is made (2 MB a worker otherwise)

    with Image.open(photo_path) as image:
        image = image.convert("RGB")
        side = min(image.size)  # a centred square, so faces are not squeezed
        left, top = (image.width - side) // 2, (image.height - side) // 2
        image = image.crop((left, top, left + side, top + side)).resize(
            (size, size), Image.Resampling.LANCZOS)
        output = BytesIO()
        image.save(output, "JPEG", quality=85, optimize=True)
    partial = thumb_path.with_name(f".{thumb_path.name}.{os.getpid()}.part")
    partial.write_bytes(output.getvalue())
    os.replace(partial, thumb_path)
    return thumb_path


def init_app(app: Flask) -> None:
    """Offer faces, initials and colours to templates (the avatar macro uses them)."""
    app.add_template_global(face, "avatar_face")
    app.add_template_global(initials, "avatar_initials")
    app.add_template_global(colour, "avatar_colour")
    app.add_template_global(SIZES, "avatar_sizes")
