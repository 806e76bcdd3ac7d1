"""Documents whose text could not be extracted: the reasons in the reader's language, the
section of the administrators' "what failed" page, and trying a file again.

``pen.textextract`` says why in English, for the log and the uploader's notice; the
page maps those sentences to translatable ones here, so the Secretariat reads the
reason in its own language. A reason not in the table shows as "the file cannot be
read", with the original beside it.
"""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from .. import audit, failures
from ..auth import permissions as auth_permissions
from ..errors import Forbidden
from ..extensions import db
from .models import DONE, FAILED, PENDING, Document, Version

REASONS = (
    (r"PDF is encrypted", _l("The PDF is protected by a password, so its text cannot be read.")),
    (r"PDF is incomplete", _l("The PDF is incomplete: the file was cut short.")),
    (r"PDF cannot be read", _l("The PDF is damaged and cannot be read.")),
    (r"took longer than", _l("Reading the file took longer than allowed.")),
    (r"memory", _l("Reading the file needed more memory than allowed.")),
    (r"damaged zip container",
     _l("The file is a damaged Word, OpenDocument, Excel or PowerPoint file.")),
    (r"entries|would expand|compressed suspiciously",
     _l("The file would expand to more than allowed when opened (a zip bomb?).")),
    (r"text is not extracted from", _l("Text is not read from this type of file.")),
    (r"too large to read", _l("A part of the file is too large to read.")),
    (r"no text found", _l("No text was found in the file (a scanned document?).")),
)
UNKNOWN = _l("The file cannot be read.")


def reason(error: str) -> str:
    """The extraction error as a sentence in the reader's language."""
    return next((str(text) for pattern, text in REASONS if re.search(pattern, error or "")),
                str(UNKNOWN))


def _unreadable():
    """Current versions whose extraction failed or found no text."""
    return or_(Version.extraction == FAILED,
               (Version.extraction == DONE) & (Version.extraction_error != ""))


def failed(limit: int) -> tuple[int, list[tuple[Version, Document]]]:
    """How many editions' current files could not be read, and the newest ``limit``."""
    joined = (Document.current_version_id == Version.id) & _unreadable()
    total = db.session.scalar(select(func.count()).select_from(Version)
                              .join(Document, Document.id == Version.document_id).where(joined))
    rows = db.session.execute(select(Version, Document)
                              .join(Document, Document.id == Version.document_id)
                              .where(joined).order_by(Version.id.desc()).limit(limit))
    return total, [tuple(row) for row in rows]


def retry(actor, version: Version) -> None:
    """Queue a file's extraction again (after a timeout under load, or a fixed parser)."""
    if not auth_permissions.is_admin(actor):
        raise Forbidden()
    version.extraction, version.extraction_error = PENDING, ""
    audit.record(actor, "library.extract_retry", version.document, version=version.number)
    db.session.commit()


SECTION = failures.Section("extraction", _l("Documents whose text could not be extracted"),
                           "admin/failures/_extraction.html", failed, order=10)
