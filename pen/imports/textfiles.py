"""Reading an uploaded CSV file as text, or saying plainly why it cannot be read.

UTF-8 (with or without a byte-order mark) and UTF-16 (with a mark, or without one,
recognised by its zero bytes) are read. Any other encoding is refused with the
numbers of the lines that are not UTF-8, rather than guessed: reading a Cyrillic
or Chinese list as Latin-1 would import every name garbled without a word.
"""

from flask_babel import lazy_gettext as _l

from ..errors import ValidationError

LINES_SHOWN = 5  # line numbers named in a refusal


class Refused(ValidationError):
    """The file as a whole cannot be imported; the message says why, for the administrator."""


def decode(data: bytes) -> str:
    """The text of a CSV file's bytes; Refused if it is not text or not UTF-8/UTF-16."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16(data, "utf-16")
    elif _looks_utf16(data):
        return _utf16(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    if b"\x00" in data[:65536] or _control_heavy(data[:65536]):
        raise Refused(_l("This is not a text file: a CSV file is text, and this one holds "
                         "binary data. Export the list from the spreadsheet as “CSV UTF-8”."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(_l("The file is not in UTF-8, so its accented letters and non-Latin "
                         "names cannot be read safely. Line(s) not in UTF-8: %(lines)s. Save "
                         "it from the spreadsheet as “CSV UTF-8” and upload it again.",
                         lines=", ".join(map(str, bad_lines(data))))) from None


def bad_lines(data: bytes) -> list[int]:
    """The numbers of the first lines that are not valid UTF-8."""
    found = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            found.append(number)
            if len(found) == LINES_SHOWN:
                break
    return found


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a mark: Latin text has a zero in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return (odds.count(0) > 0.4 * len(odds)) != (evens.count(0) > 0.4 * len(evens))


def _utf16(data: bytes, encoding: str) -> str:
    """UTF-16 text, or Refused if it is broken."""
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise Refused(_l("The file looks like UTF-16 text but is damaged. Save it from the "
                         "spreadsheet as “CSV UTF-8” and upload it again.")) from None


def _control_heavy(sample: bytes) -> bool:
    """More than 1% control characters other than tab and line breaks: not text."""
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > max(1, len(sample) // 100)


def check_lines(text: str, limit: int) -> None:
    """Refuse a file of more than ``limit`` lines before anything parses it."""
    count = text.count("\n") + (0 if text.endswith("\n") else 1)
    if count > limit + 1:  # the header line is not counted
        raise Refused(_l("The file has %(count)s lines; an import takes at most %(limit)s. "
                         "Split it into smaller files.",
                         count=f"{count:,}", limit=f"{limit:,}"))
