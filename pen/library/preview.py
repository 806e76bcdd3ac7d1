"""The text preview of a document page: the first pages of the extracted text."""

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from .models import Version

PREVIEW_PAGES = 3
PREVIEW_CHARS = 6000


@dataclass(frozen=True)
class PreviewPage:
    """One page of the preview: its printed label (None for unpaged files) and its text."""

    label: str | None
    text: str


def first_pages(version: Version | None) -> list[PreviewPage]:
    """Up to three pages (or 6,000 characters) of the version's text, as stored."""
    if version is None:
        return []
    text = db.session.scalar(select(Version.text).where(Version.id == version.id)) or ""
    head = text[:PREVIEW_CHARS]
    pages = [p for p in version.pages if p[0] < len(head)]
    if not pages:
        return [PreviewPage(None, head.strip())] if head.strip() else []
    out = []
    for index, (start, label) in enumerate(pages[:PREVIEW_PAGES]):
        end = pages[index + 1][0] if index + 1 < len(pages) else len(head)
        if text := head[start:end].strip():
            out.append(PreviewPage(label, text))
    return out
