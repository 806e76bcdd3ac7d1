"""Bulk loading: a folder of files described by a CSV file, one line per file.

Columns (a header line names them; only ``file``, ``title``, ``type`` and
``language`` are required): ``file`` (a name inside the folder), ``title``,
``description``, ``authors``, ``type`` (magazine, guideline, inventory,
case_study, presentation, training, legal, or their English labels),
``language`` (ISO code or English name), ``year``, ``topics`` (expertise names
separated by ``;`` or ``|``), ``country`` (name or ISO code), ``access``
(network, group, admins), ``group`` (the group's slug or name) and
``edition_of`` (the ``file`` of an earlier line: this file is that work in
another language). Every line is reported: imported, skipped (already in the
library) or refused with the reason; a bad line never stops the others.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, or_, select

from .. import audit, files
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..groups.models import Group
from ..members import countries
from ..members.models import ExpertiseArea
from ..members.vocabulary import language_for
from . import service
from .models import Document, Version
from .vocabulary import DOC_TYPES

REQUIRED = ("file", "title", "type", "language")
COLUMNS = (*REQUIRED, "description", "authors", "year", "topics", "country", "access", "group",
           "edition_of")
OUTCOMES = ("imported", "skipped", "refused")


class ImportFileError(Exception):
    """The metadata file itself cannot be used (no header, missing columns)."""


@dataclass
class Line:
    """What happened to one line of the metadata file."""

    number: int
    file: str
    outcome: str  # imported, skipped, refused
    detail: str
    document_id: int | None = None  # the edition an imported line made

    def __str__(self) -> str:
        """The report line."""
        return f"line {self.number}: {self.file or '(no file)'}: {self.outcome}: {self.detail}"


@dataclass
class Report:
    """Every line's outcome and the counts."""

    lines: list[Line] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many lines had this outcome."""
        return sum(1 for line in self.lines if line.outcome == outcome)

    def summary(self) -> str:
        """One line: imported, skipped, refused."""
        return (f"{self.count('imported')} imported, {self.count('skipped')} skipped, "
                f"{self.count('refused')} refused")


def read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV text with a header; ``,`` or ``;`` separated."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(f"the header lacks the column(s) {', '.join(missing)}")
    reader.fieldnames = header
    rows = []
    for row in reader:
        cleaned = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        rows.append((reader.line_num, cleaned))
    return rows


def import_folder(actor, folder: Path, text: str, progress=None, commit: bool = True) -> Report:
    """Import every line in one transaction, committed at the end (unless ``commit`` is
    False: the caller commits); ``progress(1)`` after each line."""
    report, imported, stored = Report(), {}, []
    entry = audit.record(actor, "library.import", None, folder=folder.name)
    db.session.flush()  # the first write begins the transaction the savepoints nest in
    try:
        for number, row in read_rows(text):
            report.lines.append(_import_line(actor, folder, number, row, imported, stored))
            if progress:
                progress(1)
        entry.detail = {"folder": folder.name, **{o: report.count(o) for o in OUTCOMES}}
        if commit:
            db.session.commit()
    except BaseException:
        db.session.rollback()
        for name in stored:  # the files of lines that were in the rolled-back transaction
            files.delete(service.AREA, name)
        raise
    return report


def _import_line(actor, folder: Path, number: int, row: dict, imported: dict,
                 stored: list[str]) -> Line:
    """Import one line in a savepoint; never raises for a bad line."""
    name = row.get("file", "")
    try:
        with db.session.begin_nested():
            path = _file_in(folder, name)
            existing = service.find_duplicate(actor, _sha256(path))
            if existing is not None:
                raise service.Duplicate(existing)
            with open(path, "rb") as stream:
                document = _store(actor, row, path.name, stream, imported)
            stored.append(db.session.get(Version, document.current_version_id).stored_name)
    except service.Duplicate as exc:
        imported[name] = exc.document
        return Line(number, name, "skipped", f"already in the library as document "
                                             f"{exc.document.id} ({exc.document.title})")
    except (ValidationError, Forbidden, OSError) as exc:
        return Line(number, name, "refused", getattr(exc, "message", None) or str(exc))
    imported[name] = document
    return Line(number, name, "imported", f"document {document.id}", document.id)


def _sha256(path: Path) -> str:
    """The checksum of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(2**20):
            digest.update(block)
    return digest.hexdigest()


def _file_in(folder: Path, name: str) -> Path:
    """The file named by a line, which must be inside the folder."""
    service.check_filename(name)
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents or not path.is_file():
        raise ValidationError(f"no file named {name!r} in {folder}")
    return path


def _store(actor, row: dict, filename: str, stream, imported: dict) -> Document:
    """An edition of an earlier line's work, or a new work."""
    parent_name = row.get("edition_of", "")
    language = language_code(row.get("language", ""))
    if parent_name:
        parent = imported.get(parent_name)
        if parent is None:
            raise ValidationError(f"edition_of names {parent_name!r}, which was not imported")
        document = service.add_edition(actor, parent, language,
                                       row.get("title", ""), row.get("description", ""),
                                       filename, stream, commit=False)
        return next(d for d in document.work.editions if d.language == language)
    return service.upload(actor, _metadata(row, language), filename, stream, commit=False)


def _metadata(row: dict, language: str) -> service.Metadata:
    """The line as service metadata (unknown values become what the service refuses)."""
    year = row.get("year", "")
    return service.Metadata(
        title=row.get("title", ""), description=row.get("description", ""),
        authors=row.get("authors", ""), doc_type=doc_type_key(row.get("type", "")),
        language=language, year=int(year) if year.isdigit() else None,
        topic_ids=_topic_ids(row.get("topics", "")),
        country=countries.code_for(row.get("country", "")) if row.get("country") else None,
        access=(row.get("access") or "network").lower(), group_id=_group_id(row.get("group", "")))


def doc_type_key(text: str) -> str:
    """A type key from a key or an English label ("Magazine issue")."""
    key = text.strip().lower().replace(" ", "_")
    if key in DOC_TYPES:
        return key
    return next((k for k, label in DOC_TYPES.items() if str(label).lower() == text.lower()), key)


def language_code(text: str) -> str:
    """A language code from a code or a name ("French", "Français")."""
    return language_for(text) or text.strip().lower()


def _topic_ids(text: str) -> list[int]:
    """The ids of the expertise terms named (any case)."""
    names = [n.strip().lower() for n in text.replace("|", ";").split(";") if n.strip()]
    if not names:
        return []
    return list(db.session.scalars(select(ExpertiseArea.id)
                                   .where(func.lower(ExpertiseArea.name).in_(names))))


def _group_id(text: str) -> int | None:
    """The id of the group with this slug or name."""
    if not text:
        return None
    return db.session.scalar(select(Group.id).where(
        or_(Group.slug == text, func.lower(Group.name) == text.lower())))
