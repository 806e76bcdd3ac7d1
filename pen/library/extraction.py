"""Extracting the text of uploaded versions: the ``library`` worker task.

Each pass claims a few versions waiting for extraction (one statement, so two
workers never take the same one), extracts each in a limited child process
(``pen.textextract``: 1 GB of memory, 60 s by default), stores the text (at
most 10 MB) and its page offsets, and queues the edition for the index. A file
whose text cannot be read keeps its document: it is marked, stays searchable by
its metadata, and the member who uploaded it is told why. A version left
"running" by a worker that died is taken again after ``STALE_AFTER``.
"""

import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from .. import files, notifications, search, textextract
from ..extensions import db
from ..types import utcnow
from . import permissions
from .models import DONE, FAILED, PENDING, RUNNING, Document, Version
from .service import AREA, KIND

STALE_AFTER = timedelta(minutes=15)
TARGET = "library_document"


def run_pending(limit: int | None = None) -> int:
    """Extract the text of up to ``limit`` waiting versions; how many were handled."""
    limit = limit or int(current_app.config["LIBRARY_EXTRACT_BATCH"])
    handled = 0
    for version_id in _waiting(limit):
        if _claim(version_id):
            extract_version(db.session.get(Version, version_id))
            handled += 1
    return handled


def extract_documents(document_ids: list[int]) -> list[Version]:
    """Extract now the waiting current versions of these editions; those that failed.

    For a command-line import made by nobody in particular (no ``--as``): the
    importer reads the failures in the command's output instead of a notice.
    """
    if not document_ids:
        return []
    versions = db.session.scalars(select(Version.id).join(
        Document, Document.current_version_id == Version.id).where(
        Document.id.in_(document_ids), Version.extraction == PENDING).order_by(Version.id))
    failed = []
    for version_id in list(versions):
        if _claim(version_id):
            version = db.session.get(Version, version_id)
            extract_version(version)
            if version.extraction == FAILED or version.extraction_error:
                failed.append(version)
    return failed


def _waiting(limit: int) -> list[int]:
    """Versions waiting, or left running by a worker that stopped, oldest first."""
    stale = utcnow() - STALE_AFTER
    return list(db.session.scalars(
        select(Version.id).where(or_(Version.extraction == PENDING,
                                     (Version.extraction == RUNNING)
                                     & (Version.extraction_started_at < stale)))
        .order_by(Version.id).limit(limit)))


def _claim(version_id: int) -> bool:
    """Mark a version running, unless another worker took it first."""
    stale = utcnow() - STALE_AFTER
    claimed = db.session.execute(
        update(Version).where(Version.id == version_id,
                              or_(Version.extraction == PENDING,
                                  (Version.extraction == RUNNING)
                                  & (Version.extraction_started_at < stale)))
        .values(extraction=RUNNING, extraction_started_at=utcnow()))
    db.session.commit()
    return claimed.rowcount == 1


def extract_version(version: Version) -> None:
    """Extract one version's text in a child process and store the outcome."""
    config = current_app.config
    try:
        result = textextract.extract(
            version.kind, str(files.path_of(AREA, version.stored_name)),
            memory=int(config["LIBRARY_EXTRACT_MEMORY_MB"]) * 2**20,
            timeout=float(config["LIBRARY_EXTRACT_TIMEOUT"]))
    except (textextract.ExtractionError, OSError) as exc:
        _failed(version, str(exc))
        return
    version.text = result.text
    version.pages_json = json.dumps(result.pages) if result.pages else ""
    version.text_truncated = result.truncated
    version.extraction, version.extraction_error = DONE, ""
    if not result.text.strip():
        version.extraction_error = "no text found (a scanned document?)"
    search.enqueue(KIND, version.document_id)
    db.session.commit()


def _failed(version: Version, reason: str) -> None:
    """Mark the version, tell the uploader why, and index the edition by its metadata."""
    version.extraction, version.extraction_error = FAILED, reason[:300]
    version.text, version.pages_json = "", ""
    document = version.document
    if version.uploaded_by_id is not None:
        url = notifications.path_for("library.document", document_id=document.id)
        notifications.notify(
            [version.uploaded_by_id], "library.extraction_failed",
            notifications.Target(TARGET, document.id, document.title, url),
            can_see=lambda user: permissions.can_view_document(user, document),
            excerpt=notifications.sentence(
                "The text of %(name)s could not be extracted: %(reason)s. The document "
                "is kept and found by its title and description.",
                name=version.filename, reason=reason))
    search.enqueue(KIND, version.document_id)
    db.session.commit()
