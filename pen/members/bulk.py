"""The member import on the web: the same reader and importer as the command, as an
importable kind (``pen.imports``): check a whole file, preview it, run it."""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from ..auth import permissions
from ..auth.models import User
from ..extensions import db
from ..imports import Kind, Line, Preview, Refused, max_lines, textfiles
from ..imports.kinds import PREVIEW_ROWS
from . import importer

OUTCOMES = ("created", "updated", "unchanged", "skipped")
COLUMNS = {
    "name": _l("Name"), "email": _l("Email"), "organisation": _l("Organisation"),
    "organisation_type": _l("Type of organisation"), "country": _l("Country"),
    "region": _l("Region"), "role": _l("Role under the Convention"),
    "languages": _l("Languages"), "expertise": _l("Expertise"),
    "test_group": _l("Test group"),
}


def _records(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The file's records, or Refused saying why the file as a whole cannot be read."""
    text = importer.read_file(path.read_bytes())
    textfiles.check_lines(text, max_lines())
    try:
        return importer.read_records(text)
    except importer.ImportFileError as exc:
        raise Refused(_l("The file cannot be imported: %(reason)s.", reason=str(exc))) from exc


def check(path: Path) -> int:
    """How many records the file holds; Refused if it cannot be imported at all."""
    return len(_records(path))


def preview(path: Path) -> Preview:
    """The columns as understood, the first rows, and every line's problems (nothing saved)."""
    records = _records(path)
    headers = list(records[0][1]) if records else []
    result = Preview(columns=[(h, COLUMNS.get(h)) for h in headers], total=len(records))
    result.rows = [(line, [row.get(h, "") for h in headers])
                   for line, row in records[:PREVIEW_ROWS]]
    context = importer.checking_context()
    for line, row in records:
        found = importer.line_problems(context, line, row)
        if found.notes:
            result.problems.append(Line(line, found.email, found.outcome, "; ".join(found.notes)))
    return result


def run(path: Path, options: dict, actor_id: int | None, progress) -> list[Line]:
    """Import the file inside the caller's transaction; the report's lines."""
    actor = db.session.get(User, actor_id) if actor_id else None
    text = importer.read_file(path.read_bytes())
    report = importer.import_members(text, actor=actor, progress=progress, options=options,
                                     commit=False)
    return [Line(r.line, r.email, r.outcome, "; ".join(r.notes)) for r in report.lines]


KIND = Kind(name="members", label=_l("Member list"), suffix=".csv", check=check,
            preview=preview, run=run, permitted=permissions.can_import_members,
            outcomes=OUTCOMES)
