"""The event form's sessions as rows the organiser fills and adds to.

Each row has a day, a start and an end time, and an end day when the session runs over
several days; the rows become the service's session lines (``service.parse_sessions``),
so a bad row is refused naming its line, with every row kept as typed. "Add a session"
posts the form back with one more empty row and saves nothing: no script needed.
"""

from dataclasses import dataclass, fields

from flask import request

from .service import _SESSION_LINE

PREFIX = "session"
ADD = "add_session"


@dataclass
class SessionRow:
    """One row of the form, as typed."""

    day: str = ""
    start: str = ""
    end: str = ""
    end_day: str = ""

    @property
    def empty(self) -> bool:
        """Nothing typed in the row."""
        return not any((self.day, self.start, self.end, self.end_day))

    def line(self) -> str:
        """The row as a session line: ``2011-02-15 09:00 [2011-02-18] 17:00``."""
        end_day = f"{self.end_day} " if self.end_day and self.end_day != self.day else ""
        return f"{self.day} {self.start} {end_day}{self.end}".strip()


def posted_rows() -> list[SessionRow] | None:
    """The rows of the submitted form (None when it sent session lines instead)."""
    count = len({name.split("-")[1] for name in request.form
                 if name.startswith(f"{PREFIX}-") and name.count("-") == 2})
    if not count:
        return None
    return [SessionRow(**{f.name: request.form.get(f"{PREFIX}-{index}-{f.name}", "").strip()
                          for f in fields(SessionRow)}) for index in range(count)]


def rows_to_text(rows: list[SessionRow]) -> str:
    """The rows as the service's session lines, one per row (an empty row, an empty line:
    the service skips it but still counts it, so an error names the right row)."""
    return "\n".join(row.line() for row in rows).rstrip("\n")


def rows_from_text(text: str) -> list[SessionRow]:
    """Session lines (an event's, or typed) as rows; an unreadable line keeps its day."""
    rows = []
    for line in (ln.strip() for ln in (text or "").splitlines()):
        match = _SESSION_LINE.match(line)
        if match:
            day, start, end_day, end = match.groups()
            rows.append(SessionRow(day, f"{start:0>5}", f"{end:0>5}", end_day or ""))
        elif line:
            rows.append(SessionRow(day=line[:10]))
    return rows


def rows_to_show(text: str, posted: list[SessionRow] | None, add: bool) -> list[SessionRow]:
    """The rows the form shows: as posted (else from ``text``), plus an empty one to add."""
    rows = [row for row in (posted if posted is not None else rows_from_text(text))
            if not row.empty]
    return [*rows, SessionRow()] if add or not rows else rows
