"""Supporting documents: PDF or DOCX, checked by content and size, zips sanity-checked.

The same checks as the library's uploads: the name's extension must match what
the bytes are (``files.check_upload``), the size is limited by
``AWARDS_MAX_UPLOAD_MB``, and a DOCX (a zip) is refused if it is damaged or
could expand beyond sane limits (``textextract.check_zip``).
"""

import io
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from .. import files, textextract
from ..files import UploadRefused

ACCEPTED = ("pdf", "docx")


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the browser gave and its bytes."""

    filename: str
    data: bytes


def max_bytes() -> int:
    """The largest supporting document accepted, from ``AWARDS_MAX_UPLOAD_MB``."""
    return int(float(current_app.config.get("AWARDS_MAX_UPLOAD_MB", 10)) * 2**20)


def check(upload: Upload) -> files.FileType:
    """The type of an acceptable document; UploadRefused says what is wrong."""
    filename = files.safe_filename(upload.filename, "document")
    try:
        kind = files.check_upload(filename, upload.data, max_bytes(), accepted=ACCEPTED)
    except UploadRefused as exc:
        raise UploadRefused(_("%(reason)s Supporting documents are PDF or Word (DOCX) files.",
                              reason=exc.message)) from exc
    if kind.kind == "docx":
        try:
            textextract.check_zip(io.BytesIO(upload.data))
        except textextract.ExtractionError as exc:
            raise UploadRefused(_("%(name)s cannot be accepted: %(reason)s.", name=filename,
                                  reason=str(exc))) from exc
    return kind


def store(upload: Upload, kind: files.FileType) -> str:
    """Write a checked document under a random name; return that name."""
    return files.store_bytes("awards", upload.data, kind.extensions[0])
