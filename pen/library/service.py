"""Sharing documents: uploads, language editions, new versions, metadata, downloads.

Plain functions taking plain values; each checks permissions and input, writes
the file (to a temporary file first, moved into place only when it is complete
and accepted), adds the rows, queues the index change, audits, and commits. If
anything fails, the stored file is removed again and the transaction rolled back,
so no partial file or row is left. Text extraction happens later, in the worker
(see ``extraction``).
"""

import unicodedata
from dataclasses import dataclass, field
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from .. import audit, files, markup, search, textextract
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..groups.models import Group
from ..members import countries
from ..members.models import ExpertiseArea
from ..types import utcnow
from . import magazine, permissions
from .models import ACCESS_GROUP, ACCESS_LEVELS, PENDING, Document, Version, Work
from .vocabulary import ACCEPTED_KINDS, DOC_TYPES, LANGUAGES

AREA = "library"
KIND = "library_document"
TITLE_MAX, AUTHORS_MAX, DESCRIPTION_MAX, NOTE_MAX = 300, 300, 20_000, 300
FILENAME_MAX = 255


@dataclass
class Metadata:
    """What describes a work and its first edition, as the member typed it."""

    title: str = ""
    description: str = ""
    authors: str = ""
    doc_type: str = ""
    language: str = ""
    year: int | None = None
    topic_ids: list[int] = field(default_factory=list)
    country: str | None = None
    access: str = "network"
    group_id: int | None = None


class Duplicate(ValidationError):
    """The same file is already in the library, as a document the member can open."""

    def __init__(self, document: Document):
        """The refusal, naming the existing document."""
        super().__init__(_("This file is already in the library as “%(title)s”.",
                           title=document.title), field="file")
        self.document = document


# --- Checks ---------------------------------------------------------------------------

def check_filename(filename: str | None) -> str:
    """The uploaded name, refused if empty, with folders or ``..``, or control characters."""
    name = unicodedata.normalize("NFC", filename or "")
    if not name.strip() or not name.strip(". "):
        raise ValidationError(_("Choose a file to upload; the file has no name."), field="file")
    if "/" in name or "\\" in name or ".." in name.split("."):
        raise ValidationError(_("“%(name)s” is not a plain file name: names may not contain "
                                "folders or “..”.", name=name[:80]), field="file")
    if any(unicodedata.category(c) == "Cc" for c in name) or len(name) > FILENAME_MAX:
        raise ValidationError(_("The file name has control characters or more than %(max)d "
                                "characters; rename the file.", max=FILENAME_MAX), field="file")
    return name


def check_metadata(actor, meta: Metadata) -> Metadata:
    """The metadata cleaned, or a ValidationError naming the field that is wrong."""
    meta.title = _text(meta.title, TITLE_MAX, "title", _("Give the document a title."))
    meta.authors = " ".join((meta.authors or "").split())[:AUTHORS_MAX]
    meta.description = (meta.description or "").strip()
    if len(meta.description) > DESCRIPTION_MAX:
        raise ValidationError(_("The description is too long (at most %(n)s characters).",
                                n=f"{DESCRIPTION_MAX:,}"), field="description")
    if meta.doc_type not in DOC_TYPES:
        raise ValidationError(_("Choose the type of document."), field="doc_type")
    check_language(meta.language)
    if meta.year is not None and not 1900 <= meta.year <= utcnow().year + 1:
        raise ValidationError(_("Give a publication year between 1900 and next year."),
                              field="year")
    if meta.country and meta.country not in countries.REGION_OF:
        raise ValidationError(_("Choose a country from the list."), field="country")
    _check_access(actor, meta)
    return meta


def check_language(language: str) -> None:
    """Refuse a language the platform does not know."""
    if language not in LANGUAGES:
        raise ValidationError(_("Choose the language of the document."), field="language")


def _text(value: str, limit: int, name: str, missing: str) -> str:
    """A one-line text, required and at most ``limit`` characters."""
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise ValidationError(missing, field=name)
    if len(cleaned) > limit:
        raise ValidationError(_("At most %(n)d characters.", n=limit), field=name)
    return cleaned


def _check_access(actor, meta: Metadata) -> None:
    """Refuse an audience that does not exist or that the member may not choose."""
    if meta.access not in ACCESS_LEVELS:
        raise ValidationError(_("Choose who may open the document."), field="access")
    if meta.access != ACCESS_GROUP:
        meta.group_id = None
    elif meta.group_id is None or db.session.get(Group, meta.group_id) is None:
        raise ValidationError(_("Choose the thematic group."), field="group_id")
    if not permissions.can_choose_access(actor, meta.access, meta.group_id):
        raise ValidationError(_("You may not share a document with that audience."),
                              field="access")


def receive_file(filename: str | None, stream: BinaryIO) -> tuple[files.Received, files.FileType]:
    """The upload on disk (not yet in place) and its type, once every check passed."""
    name = check_filename(filename)
    max_bytes = int(float(current_app.config["LIBRARY_MAX_MB"]) * 2**20)
    try:
        received = files.receive(AREA, stream, max_bytes)
    except files.UploadRefused as exc:
        raise ValidationError(exc.message, field="file") from exc
    try:
        return received, _check_content(name, received)
    except BaseException:
        received.discard()
        raise


def _check_content(name: str, received: files.Received) -> files.FileType:
    """The file's type when its content is what its name says and its structure is sound."""
    if received.size == 0:
        raise ValidationError(_("%(name)s is empty.", name=name), field="file")
    claimed = files.type_for_name(name)
    if claimed is None or claimed.kind not in ACCEPTED_KINDS:
        raise ValidationError(_("%(name)s is not a type of file the library takes (PDF, Word, "
                                "OpenDocument, text, Markdown, Excel, CSV, PowerPoint).",
                                name=name), field="file")
    if claimed.kind not in files.sniff_file(received.path):
        raise ValidationError(_("%(name)s is not really a %(ext)s file: its content does not "
                                "match its name.", name=name,
                                ext=claimed.extensions[0].lstrip(".").upper()), field="file")
    try:
        if claimed.kind == "pdf":
            textextract.check_pdf(str(received.path))
        elif claimed.kind in textextract.ZIP_KINDS:
            textextract.check_zip(str(received.path))
    except textextract.ExtractionError as exc:
        raise ValidationError(_("%(name)s was refused: %(reason)s.", name=name,
                                reason=str(exc)), field="file") from exc
    return claimed


def find_duplicate(actor, sha256: str) -> Document | None:
    """A document the member can open whose file (any version) has this checksum."""
    versions = db.session.scalars(select(Version).where(Version.sha256 == sha256).limit(20))
    return next((v.document for v in versions
                 if permissions.can_view_document(actor, v.document)), None)


# --- Changes --------------------------------------------------------------------------

def upload(actor, meta: Metadata, filename: str | None, stream: BinaryIO,
           allow_duplicate: bool = False, commit: bool = True) -> Document:
    """Share a new work: its first edition and that edition's first version.

    With ``commit=False`` (a bulk import) the caller commits, or rolls back its savepoint.
    """
    if not permissions.can_upload(actor):
        raise Forbidden(_("You may not share documents."))
    meta = check_metadata(actor, meta)
    work = Work(doc_type=meta.doc_type, authors=meta.authors, year=meta.year,
                country=meta.country or None, access=meta.access, group_id=meta.group_id,
                created_by_id=actor.id, topics=_topics(meta.topic_ids))
    document = Document(work=work, language=meta.language, title=meta.title,
                        description=meta.description,
                        description_html=markup.render(meta.description),
                        uploaded_by_id=actor.id)
    db.session.add_all([work, document])
    return _store_version(actor, document, filename, stream, allow_duplicate, "library.upload",
                          commit=commit)


def add_edition(actor, document: Document, language: str, title: str, description: str,
                filename: str | None, stream: BinaryIO, allow_duplicate: bool = False,
                commit: bool = True) -> Document:
    """Add the work of ``document`` in another language, with its own file."""
    if not permissions.can_edit_document(actor, document):
        raise Forbidden(_("You may not add editions to this document."))
    check_language(language)
    if any(d.language == language for d in document.work.editions):
        raise ValidationError(_("This document already has an edition in that language; "
                                "add a new version to it instead."), field="language")
    title = _text(title, TITLE_MAX, "title", _("Give the edition a title."))
    edition = Document(work=document.work, language=language, title=title,
                       description=(description or "").strip(),
                       description_html=markup.render(description), uploaded_by_id=actor.id)
    db.session.add(edition)
    return _store_version(actor, edition, filename, stream, allow_duplicate, "library.edition",
                          commit=commit)


def add_version(actor, document: Document, filename: str | None, stream: BinaryIO,
                note: str = "", allow_duplicate: bool = False) -> Document:
    """A new file for an edition: it becomes the default, the old ones stay downloadable."""
    if not permissions.can_add_version(actor, document):
        raise Forbidden(_("You may not add versions to this document."))
    note = " ".join((note or "").split())[:NOTE_MAX]
    return _store_version(actor, document, filename, stream, allow_duplicate,
                          "library.version", note=note)


def _store_version(actor, document: Document, filename, stream, allow_duplicate: bool,
                   action: str, note: str = "", commit: bool = True) -> Document:
    """Receive the file, refuse duplicates, move it into place, add the version, commit
    (unless ``commit`` is False: then a failure leaves the rollback to the caller)."""
    received = stored = None
    try:
        received, file_type = receive_file(filename, stream)
        duplicate = find_duplicate(actor, received.sha256)
        if duplicate is not None and not allow_duplicate:
            raise Duplicate(duplicate)
        stored = received.keep(file_type.extensions[0])
        version = _add_version_row(actor, document, check_filename(filename), stored,
                                   file_type, received, note)
        audit.record(actor, action, document, title=document.title, version=version.number)
        if version.number == 1:  # a new edition: the magazine's readers hear of an issue
            magazine.announce(document)
        if commit:
            db.session.commit()
    except BaseException:
        if commit:
            db.session.rollback()
        if received is not None:
            received.discard()
        files.delete(AREA, stored)
        raise
    return document


def _add_version_row(actor, document: Document, filename: str, stored: str,
                     file_type: files.FileType, received: files.Received, note: str) -> Version:
    """The version row, made the edition's current one, and the index row."""
    number = 1
    if document.id is not None:
        number = 1 + (db.session.scalar(select(func.max(Version.number))
                                        .where(Version.document_id == document.id)) or 0)
    version = Version(document=document, number=number, filename=filename, stored_name=stored,
                      kind=file_type.kind, content_type=file_type.content_type,
                      size=received.size, sha256=received.sha256, note=note,
                      uploaded_by_id=actor.id, extraction=PENDING, text="", pages_json="")
    db.session.add(version)
    db.session.flush()
    document.current_version_id = version.id
    document.updated_at = utcnow()
    search.enqueue(KIND, document.id)
    return version


def update_metadata(actor, document: Document, meta: Metadata) -> Document:
    """Change the edition's title, description and language, and the work's metadata."""
    if not permissions.can_edit_document(actor, document):
        raise Forbidden(_("You may not edit this document."))
    meta = check_metadata(actor, meta)
    if any(d.language == meta.language for d in document.siblings()):
        raise ValidationError(_("Another edition of this document is in that language."),
                              field="language")
    work = document.work
    document.title, document.language = meta.title, meta.language
    document.description = meta.description
    document.description_html = markup.render(meta.description)
    document.updated_at = utcnow()
    work.doc_type, work.authors, work.year = meta.doc_type, meta.authors, meta.year
    work.country, work.access, work.group_id = meta.country or None, meta.access, meta.group_id
    work.topics = _topics(meta.topic_ids)
    for edition in work.editions:  # access, type and topics are indexed with every edition
        search.enqueue(KIND, edition.id)
    audit.record(actor, "library.edit", document, title=document.title, access=work.access)
    db.session.commit()
    return document


def _topics(ids: list[int]) -> list[ExpertiseArea]:
    """The expertise terms with these ids (unknown ids are ignored)."""
    if not ids:
        return []
    return list(db.session.scalars(select(ExpertiseArea).where(ExpertiseArea.id.in_(ids))))


def record_download(version: Version) -> None:
    """Count a download of a version and of its edition (one statement each)."""
    db.session.execute(update(Version).where(Version.id == version.id)
                       .values(download_count=Version.download_count + 1))
    db.session.execute(update(Document).where(Document.id == version.document_id)
                       .values(download_count=Document.download_count + 1))
    db.session.commit()
