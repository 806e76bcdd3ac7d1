"""Work-arounds for whoosh-reloaded 2.7.5, applied once when ``pen.search`` is imported.

Whoosh names new segments and temporary files with the global ``random``
module. A program that seeds it (a data generator, a benchmark) then writes
an index twice gets the same segment name twice, and the second commit fails
on an assertion. Names are drawn from the system's random source instead.

Writing a segment's postings looks up the length of the field in the
document once per posting, each time reading and unpacking one byte of a
file: a sixth of a rebuild. ``add_postings`` is given the lengths read once
per field instead (same values).
"""

import random

from whoosh.codec import base as codec_base
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.filedb import compound, filestore
from whoosh.util.numeric import byte_to_length

_ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"
_system_random = random.SystemRandom()


def random_name(size: int = 28) -> str:
    """A file or segment name that no seeding of ``random`` can repeat."""
    return "".join(_system_random.choice(_ID_CHARS) for _ in range(size))


class LoadedLengths:
    """A segment's field lengths, each field's column read in one piece."""

    def __init__(self, lengths):
        """Wrap Whoosh's per-document reader ``lengths``."""
        self._lengths = lengths
        self._columns: dict[str, bytes] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        """The length of ``fieldname`` in ``docnum``, as Whoosh's reader answers it."""
        column = self._columns.get(fieldname)
        if column is None:
            column = self._columns[fieldname] = self._read(fieldname)
        lbyte = column[docnum] if docnum < len(column) else 0
        return byte_to_length(lbyte) if lbyte else None

    def _read(self, fieldname: str) -> bytes:
        """The raw bytes of a field's length column (empty when the field has none)."""
        reader = self._lengths._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if reader is None:
            return b""
        return bytes(reader._dbfile.get(reader._basepos, reader._count))


_add_postings = codec_base.FieldWriter.add_postings


def add_postings(self, schema, lengths, items):
    """Whoosh's ``add_postings`` with field lengths read once per field."""
    if lengths is not None and hasattr(lengths, "_cached_reader"):
        lengths = LoadedLengths(lengths)
    return _add_postings(self, schema, lengths, items)


def apply() -> None:
    """Point Whoosh's name generators at ``random_name``; read lengths once per field."""
    for module in (codec_base, compound, filestore):
        module.random_name = random_name
    codec_base.FieldWriter.add_postings = add_postings
