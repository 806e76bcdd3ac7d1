"""Pictures on slow links: every ``<img>`` in the templates is sized, and lazy unless first.

``width`` and ``height`` reserve the picture's box before it arrives, so nothing moves
when it does (no layout shift); ``loading="lazy"`` leaves pictures below the fold until
the member scrolls to them. The few pictures that open their page (a profile's photo, a
group's picture, the QR code of two-factor set-up) are asked for first instead
(``fetchpriority="high"``): lazy loading would delay what the member came to see.
"""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "pen" / "templates"
IMG = re.compile(r"<img\b[^>]*>", re.S)


def _images() -> list[tuple[str, str]]:
    """(template, tag) for every ``<img>`` written in a template."""
    return [(path.relative_to(TEMPLATES).as_posix(), tag)
            for path in sorted(TEMPLATES.rglob("*.html"))
            for tag in IMG.findall(path.read_text(encoding="utf-8"))]


def test_templates_have_pictures_to_check():
    names = {name for name, _ in _images()}
    assert {"forums/topic.html", "members/profile.html"} <= names


def test_a_members_photo_beside_their_name_is_sized_and_lazy(app):
    """Faces are written in Python (``pen.avatars.face``), not in a template."""
    from types import SimpleNamespace

    from pen.avatars import face

    member = SimpleNamespace(id=7, avatar_key="a1b2c3.jpg", display_name="Ana Ruiz")
    with app.test_request_context():
        tag = str(face(member, 32))
    assert IMG.fullmatch(tag) and 'width="32"' in tag and 'height="32"' in tag
    assert 'loading="lazy"' in tag


def test_every_picture_is_sized():
    unsized = [(name, tag) for name, tag in _images()
               if not re.search(r"\swidth=", tag) or not re.search(r"\sheight=", tag)]
    assert not unsized, unsized


def test_every_picture_is_lazy_unless_it_opens_its_page():
    eager = [(name, tag) for name, tag in _images()
             if 'loading="lazy"' not in tag and 'fetchpriority="high"' not in tag]
    assert not eager, eager
