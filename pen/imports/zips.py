"""Unpacking an uploaded zip safely: no path outside the folder, no zip bomb.

Every entry's name is checked before anything is written (no absolute path, no
``..``, no drive letter, no link), the declared sizes are checked against the
limits, and the bytes actually written are counted as they come, since a zip's
declared sizes are the uploader's word.
"""

import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from .textfiles import Refused

RATIO_FLOOR = 2**20  # entries smaller than this may compress as well as they like


@dataclass
class Limits:
    """How much a zip may hold once unpacked."""

    max_entries: int = 5000
    max_total: int = 1024 * 2**20  # bytes, declared and actual
    max_ratio: int = 100  # uncompressed / compressed, for entries over RATIO_FLOOR


def check(path: Path, limits: Limits) -> list[zipfile.ZipInfo]:
    """The entries of a zip whose names and sizes are acceptable; Refused otherwise."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused(_l("This is not a zip file, or it is damaged.")) from None
    if len(infos) > limits.max_entries:
        raise Refused(_l("The zip file holds %(count)d entries; at most %(max)d are taken.",
                         count=len(infos), max=limits.max_entries))
    for info in infos:
        check_name(info)
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_total:
        raise Refused(_too_large(limits))
    for info in infos:
        if info.file_size > RATIO_FLOOR and \
                info.file_size > limits.max_ratio * max(1, info.compress_size):
            raise Refused(_l("%(name)s is compressed suspiciously well (a zip bomb?); "
                             "the zip file is refused.", name=info.filename[:120]))
    return infos


def check_name(info: zipfile.ZipInfo) -> None:
    """Refuse an entry that would land outside the folder, or that is a link."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        raise Refused(_l("The zip file names a path outside its own folder (%(name)s); "
                         "it is refused.", name=name[:120]))
    if stat.S_ISLNK(info.external_attr >> 16):
        raise Refused(_l("The zip file holds a link (%(name)s); it is refused.",
                         name=name[:120]))


def unpack(path: Path, folder: Path, limits: Limits) -> None:
    """Unpack a checked zip into ``folder``, counting the bytes actually written."""
    infos = check(path, limits)
    written = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in infos:
                written = _unpack_one(archive, info, folder, written, limits)
    except (zipfile.BadZipFile, EOFError, zlib.error):  # a lying header, a bad checksum
        raise Refused(_l("This is not a zip file, or it is damaged.")) from None


def _unpack_one(archive: zipfile.ZipFile, info: zipfile.ZipInfo, folder: Path, written: int,
                limits: Limits) -> int:
    """Write one checked entry under ``folder``; the bytes written so far."""
    target = folder.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
    if info.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return written
    target.parent.mkdir(parents=True, exist_ok=True)
    return _copy(archive, info, target, written, limits)


def _copy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, written: int,
          limits: Limits) -> int:
    """Write one entry; Refused as soon as the bytes exceed what was declared or allowed."""
    with archive.open(info) as source, open(target, "wb") as out:
        while block := source.read(2**20):
            written += len(block)
            if written > limits.max_total:
                raise Refused(_too_large(limits))
            out.write(block)
    return written


def _too_large(limits: Limits) -> str:
    """The refusal of a zip that unpacks to more than allowed."""
    return _l("The zip file would unpack to more than %(mb)d MB; it is refused.",
              mb=limits.max_total // 2**20)


def remove(folder: Path) -> None:
    """Remove an unpacked folder and everything in it."""
    shutil.rmtree(folder, ignore_errors=True)
