"""Work-arounds for whoosh-reloaded 2.7.5, applied once when ``pen.search`` is imported.

Whoosh names new segments and temporary files with the global ``random``
module. A program that seeds it (a data generator, a benchmark) then writes
an index twice gets the same segment name twice, and the second commit fails
on an assertion. Names are drawn from the system's random source instead.

Writing a segment's postings looks up the length of the field in the
document once per posting, each time reading and unpacking one byte of a
file: a sixth of a rebuild. ``add_postings`` is given the lengths read once
per field instead (same values).

A segment's term tables are memory-mapped, the rest of it is read (``open_file``;
``pen.search.index.storage`` opens segments unmapped). Looking a word up in the term
tables (hash buckets, keys, offsets) is thousands of reads of a few bytes per search,
cheap in a mapping and 30% of the CPU of a unified search as file reads; postings,
columns and stored fields are read in large pieces, decoded and cached, and mapped
they made a worker's resident set grow with every part of the index its searches had
read (up to the whole index, 950 MB at S=100). The term tables are a tenth of it. A
mapped term table is read in place (``ViewBufferFile``): Whoosh's ``BufferFile`` wraps
its buffer in a ``BytesIO``, which copies it.
"""

import mmap
import random

from whoosh.codec import base as codec_base
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec
from whoosh.filedb import compound, filestore
from whoosh.filedb.structfile import BufferFile
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


class _View:
    """A read-only file over a memoryview: what ``BytesIO`` does, without the copy."""

    def __init__(self, buf):
        self._buf, self._pos = buf, 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._buf) if size is None or size < 0 else min(len(self._buf),
                                                                   self._pos + size)
        data = bytes(self._buf[self._pos:end])
        self._pos = end
        return data

    def readinto(self, target) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        rest = bytes(self._buf[self._pos:] if size is None or size < 0
                     else self._buf[self._pos:self._pos + size])
        end = rest.find(b"\n")
        line = rest if end < 0 else rest[:end + 1]
        self._pos += len(line)
        return line

    def __iter__(self):
        return iter(self.readline, b"")

    def seek(self, position: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._buf)}[whence]
        self._pos = max(0, base + position)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._buf = memoryview(b"")


class ViewBufferFile(BufferFile):
    """Whoosh's ``BufferFile`` reading its (memory-mapped) buffer in place."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _View(buf)


#: Files of a compound segment served from a mapping of their own byte range.
MAPPED_EXTENSIONS = (W3Codec.TERMS_EXT,)
_open_compound_file = compound.CompoundStorage.open_file


def map_range(fileno: int, offset: int, length: int) -> memoryview:
    """``length`` bytes from ``offset`` of an open file, mapped read-only (the mapping
    starts at the page boundary below ``offset`` and lives as long as the view)."""
    start = offset - offset % mmap.ALLOCATIONGRANULARITY
    mapping = mmap.mmap(fileno, length + offset - start, offset=start, access=mmap.ACCESS_READ)
    return memoryview(mapping)[offset - start:offset - start + length]


def open_file(self, name, *args, **kwargs):
    """Whoosh's ``CompoundStorage.open_file``, but a term table of a segment that is
    read, not mapped, is mapped on its own."""
    if (self.is_closed or not name.endswith(MAPPED_EXTENSIONS)
            or not hasattr(self._file, "fileno")):  # mapped whole, or not a real file
        return _open_compound_file(self, name, *args, **kwargs)
    offset, length = self.range(name)
    if length == 0:
        return _open_compound_file(self, name, *args, **kwargs)
    return ViewBufferFile(map_range(self._file.fileno(), offset, length), name=name)


def apply() -> None:
    """Point Whoosh's name generators at ``random_name``; read lengths once per field;
    map the term tables of compound segments."""
    for module in (codec_base, compound, filestore):
        module.random_name = random_name
    codec_base.FieldWriter.add_postings = add_postings
    compound.CompoundStorage.open_file = open_file
