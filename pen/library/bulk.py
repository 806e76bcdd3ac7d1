"""The library import on the web: a zip of files with their ``metadata.csv``, checked,
previewed and imported by the same importer as ``flask --app pen library import``."""

import secrets
import zipfile
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from .. import files
from ..auth import permissions as auth_permissions
from ..auth.models import User
from ..auth.system import SYSTEM
from ..extensions import db
from ..imports import Kind, Line, Preview, Refused, max_lines, textfiles, zip_limits, zips
from ..imports.kinds import PREVIEW_ROWS
from . import importer
from .vocabulary import DOC_TYPES, LANGUAGES

METADATA = "metadata.csv"
METADATA_MAX_BYTES = 20 * 2**20
LABELS = {
    "file": _l("File"), "title": _l("Title"), "type": _l("Type"), "language": _l("Language"),
    "description": _l("Description"), "authors": _l("Authors"), "year": _l("Year"),
    "topics": _l("Topics"), "country": _l("Country"), "access": _l("Access"),
    "group": _l("Group"), "edition_of": _l("Edition of"),
}


def _metadata_entry(infos: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """``metadata.csv`` at the zip's top, or in its one top folder; Refused if absent."""
    found = [i for i in infos if PurePosixPath(i.filename).name.lower() == METADATA
             and len(PurePosixPath(i.filename).parts) <= 2]
    found.sort(key=lambda i: len(PurePosixPath(i.filename).parts))
    if not found:
        raise Refused(_l("The zip file has no metadata.csv describing its files (at its top, "
                         "or in its one top folder)."))
    if found[0].file_size > METADATA_MAX_BYTES:
        raise Refused(_l("metadata.csv is larger than %(mb)d MB.",
                         mb=METADATA_MAX_BYTES // 2**20))
    return found[0]


def _read(path: Path) -> tuple[str, str, list[str]]:
    """(metadata text, the folder it is in, every file name in the zip), or Refused."""
    infos = zips.check(path, zip_limits())
    entry = _metadata_entry(infos)
    try:
        with zipfile.ZipFile(path) as archive, archive.open(entry) as member:
            data = member.read(METADATA_MAX_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise Refused(_l("This is not a zip file, or it is damaged.")) from None
    text = textfiles.decode(data)
    textfiles.check_lines(text, max_lines())
    base = str(PurePosixPath(entry.filename).parent).removeprefix(".")
    return text, base, [i.filename for i in infos if not i.is_dir()]


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """metadata.csv's lines, or Refused if its header lacks a needed column."""
    try:
        return importer.read_rows(text.removeprefix("\ufeff"))
    except importer.ImportFileError as exc:
        raise Refused(_l("metadata.csv cannot be imported: %(reason)s.", reason=str(exc))) \
            from exc


def check(path: Path) -> int:
    """How many lines metadata.csv has; Refused if the zip cannot be imported at all."""
    text, _base, _names = _read(path)
    return len(_rows(text))


def preview(path: Path) -> Preview:
    """metadata.csv's columns as understood, its first rows and every line's problems."""
    text, base, names = _read(path)
    rows = _rows(text)
    headers = list(rows[0][1]) if rows else []
    result = Preview(columns=[(h, LABELS.get(h)) for h in headers], total=len(rows))
    result.rows = [(n, [row.get(h, "") for h in headers]) for n, row in rows[:PREVIEW_ROWS]]
    present = {name.removeprefix(f"{base}/") if base else name for name in names}
    seen: set[str] = set()
    for number, row in rows:
        problems = _problems(row, present, seen)
        if problems:
            result.problems.append(Line(number, row.get("file", ""), "refused",
                                        "; ".join(problems)))
    return result


def _problems(row: dict[str, str], present: set[str], seen: set[str]) -> list[str]:
    """Why a line would be refused, as far as can be told without importing it."""
    name, problems = row.get("file", ""), []
    if not name:
        problems.append("no file named")
    elif name not in present:
        problems.append(f"no file named {name!r} in the zip")
    elif name in seen:
        problems.append(f"{name!r} is named on an earlier line")
    seen.add(name)
    if importer.doc_type_key(row.get("type", "")) not in DOC_TYPES:
        problems.append(f"unknown type {row.get('type', '')!r}")
    if importer.language_code(row.get("language", "")) not in LANGUAGES:
        problems.append(f"unknown language {row.get('language', '')!r}")
    if not row.get("title"):
        problems.append("no title")
    return problems


def run(path: Path, options: dict, actor_id: int | None, progress) -> list[Line]:
    """Unpack the zip, import its files inside the caller's transaction, remove the folder."""
    actor = (db.session.get(User, actor_id) if actor_id else None) or SYSTEM
    folder = files.upload_dir("imports") / f"unpacked-{secrets.token_hex(8)}"
    try:
        text, base, _names = _read(path)
        zips.unpack(path, folder, zip_limits())
        report = importer.import_folder(actor, folder / base if base else folder, text,
                                        progress=progress, commit=False)
    finally:
        zips.remove(folder)
    return [Line(line.number, line.file, line.outcome, line.detail) for line in report.lines]


KIND = Kind(name="library", label=_l("Library files"), suffix=".zip", check=check,
            preview=preview, run=run, permitted=auth_permissions.is_admin,
            outcomes=importer.OUTCOMES)
