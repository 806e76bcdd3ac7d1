"""Uploaded files: stored under random names in ``UPLOADS_DIR/<area>/`` (``DATA_DIR/uploads``).

A stored file's name never comes from the user, so no path, extension or
Content-Type chosen by an uploader reaches the disk or a response unchecked.
Writes are atomic: a failure leaves no half-written file behind.
"""

import hashlib
import io
import os
import secrets
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from .errors import FULL_DISK, StorageFull, ValidationError
from .extensions import db


def uploads_root() -> Path:
    """The folder holding every area's uploads: shared by all servers of a deployment."""
    return Path(current_app.config["UPLOADS_DIR"])


def upload_dir(area: str) -> Path:
    """The folder of one area's uploads, created if needed."""
    folder = uploads_root() / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_bytes(area: str, data: bytes, suffix: str) -> str:
    """Write ``data`` under a new random name ending in ``suffix``; return the name."""
    name = f"{secrets.token_hex(16)}{suffix}"
    folder = upload_dir(area)
    tmp = folder / f".{name}.part"
    try:
        with refusing_a_full_disk():
            tmp.write_bytes(data)
            os.replace(tmp, folder / name)
    finally:
        tmp.unlink(missing_ok=True)
    return name


@contextmanager
def refusing_a_full_disk():
    """Turn "no space left" into ``StorageFull``, which the member reads; other OS errors
    stay what they are (bugs)."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in FULL_DISK:
            raise
        current_app.logger.error("no space left for uploads in %s", uploads_root())
        raise StorageFull(_("The server has no space left for files, so nothing was saved. "
                            "The Secretariat's technical team is alerted automatically; "
                            "please try again later.")) from exc


def sweep_partials(max_age_seconds: int = 3600) -> int:
    """Remove temporary ``.part`` files older than ``max_age_seconds``; how many went.

    An upload in progress writes one; a process killed mid-upload (a worker
    restarted by its supervisor, the machine losing power) leaves it behind.
    An hour is far longer than any upload the size limits allow.
    """
    root = uploads_root()
    cutoff = time.time() - max_age_seconds
    removed = 0
    for part in root.glob("*/.*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed += 1
        except FileNotFoundError:  # finished or swept by another process meanwhile
            continue
    return removed


def path_of(area: str, name: str) -> Path:
    """The path of a stored file; refuses names that are not plain stored names."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"not a stored file name: {name!r}")
    return upload_dir(area) / name


def delete(area: str, name: str | None) -> None:
    """Remove a stored file if it exists."""
    if name:
        path_of(area, name).unlink(missing_ok=True)


# --- What a file really is ------------------------------------------------------
# An upload's name and the Content-Type its browser sent are the uploader's word;
# these helpers read the first bytes instead, so an HTML page named report.pdf is
# refused before it is stored or served.

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


@dataclass(frozen=True)
class FileType:
    """A kind of file we accept: its extensions, the type it is served as, and if inline."""

    kind: str
    content_type: str
    extensions: tuple[str, ...]
    inline: bool = False


FILE_TYPES = {
    "pdf": FileType("pdf", "application/pdf", (".pdf",)),
    "png": FileType("png", "image/png", (".png",), inline=True),
    "jpeg": FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"), inline=True),
    "gif": FileType("gif", "image/gif", (".gif",), inline=True),
    "webp": FileType("webp", "image/webp", (".webp",), inline=True),
    "docx": FileType("docx", "application/vnd.openxmlformats-officedocument."
                     "wordprocessingml.document", (".docx",)),
    "xlsx": FileType("xlsx", "application/vnd.openxmlformats-officedocument."
                     "spreadsheetml.sheet", (".xlsx",)),
    "pptx": FileType("pptx", "application/vnd.openxmlformats-officedocument."
                     "presentationml.presentation", (".pptx",)),
    "doc": FileType("doc", "application/msword", (".doc",)),
    "xls": FileType("xls", "application/vnd.ms-excel", (".xls",)),
    "ppt": FileType("ppt", "application/vnd.ms-powerpoint", (".ppt",)),
    "odt": FileType("odt", "application/vnd.oasis.opendocument.text", (".odt",)),
    "txt": FileType("txt", "text/plain; charset=utf-8", (".txt",)),
    "md": FileType("md", "text/markdown; charset=utf-8", (".md", ".markdown")),
    "csv": FileType("csv", "text/csv; charset=utf-8", (".csv",)),
}
DOCUMENTS_AND_IMAGES = ("pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "pptx", "doc",
                        "xls", "ppt")
TEXT_KINDS = ("txt", "md", "csv")
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class UploadRefused(ValidationError):
    """An upload that is not what it claims to be, of a type not accepted, or too large."""


def sniff(data: bytes) -> set[str]:
    """The kinds of ``FILE_TYPES`` the bytes can be, judged by their content alone."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return {"pdf"}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if head.startswith(b"\xff\xd8\xff"):
        return {"jpeg"}
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return {"gif"}
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return {"webp"}
    if head.startswith(OLE_MAGIC):
        return {"doc", "xls", "ppt"}  # one container for the three; the name tells which
    if head.startswith(b"PK\x03\x04"):
        return _zip_kinds(data)
    return set(TEXT_KINDS) if looks_like_text(data[:65536]) else set()


def looks_like_text(head: bytes) -> bool:
    """Whether the first bytes of a file are text: no NUL, UTF-8 (or UTF-16 with a BOM)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut by the end of the sample
    return True


def _zip_kinds(data: bytes) -> set[str]:
    """OOXML kinds, or ODT when the zip starts with its ``mimetype`` entry."""
    if data[30:38] == b"mimetype" and data[38:38 + len(_ODT_MIMETYPE)] == _ODT_MIMETYPE:
        return {"odt"}
    return _ooxml_kinds(data)


def _ooxml_kinds(data) -> set[str]:
    """The Office Open XML kind of a zip file (bytes or a path), or nothing if another zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return set()
    if "[Content_Types].xml" not in names:
        return set()
    return {kind for kind, folder in _OOXML_FOLDERS.items()
            if any(name.startswith(folder) for name in names)}


def type_for_name(filename: str) -> FileType | None:
    """The accepted file type the name's extension claims, or None."""
    suffix = Path(filename or "").suffix.lower()
    return next((t for t in FILE_TYPES.values() if suffix in t.extensions), None)


def check_upload(filename: str, data: bytes, max_bytes: int,
                 accepted: tuple[str, ...] = DOCUMENTS_AND_IMAGES) -> FileType:
    """The type of an upload whose name, content and size are acceptable; else UploadRefused."""
    if not data:
        raise UploadRefused(_("%(name)s is empty.", name=filename))
    if len(data) > max_bytes:
        raise UploadRefused(_("%(name)s is larger than %(mb)s MB.", name=filename,
                              mb=f"{max_bytes / 2**20:g}"))
    claimed = type_for_name(filename)
    if claimed is None or claimed.kind not in accepted:
        raise UploadRefused(_("%(name)s is not a type of file accepted here.", name=filename))
    if claimed.kind not in sniff(data):
        raise UploadRefused(_("%(name)s is not really a %(ext)s file: its content does not "
                              "match its name.", name=filename,
                              ext=claimed.extensions[0].lstrip(".").upper()))
    return claimed


def safe_filename(filename: str, fallback: str = "file") -> str:
    """A download name without paths, control characters or quotes, at most 120 characters."""
    name = Path((filename or "").replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?/')
    name = " ".join(name.split()).strip(". ")
    if not name:
        return fallback
    stem, suffix = Path(name).stem, Path(name).suffix[:10]
    return f"{stem[:120 - len(suffix)]}{suffix}"


# --- Large uploads, streamed to disk -------------------------------------------------

@dataclass
class Received:
    """An upload written to a temporary file in its area's folder, not yet in place."""

    area: str
    path: Path
    size: int
    sha256: str

    def keep(self, suffix: str) -> str:
        """Move the file into place under a new random name; return the name."""
        name = f"{secrets.token_hex(16)}{suffix}"
        os.replace(self.path, upload_dir(self.area) / name)
        return name

    def discard(self) -> None:
        """Remove the temporary file (harmless once kept)."""
        self.path.unlink(missing_ok=True)


def receive(area: str, stream, max_bytes: int, chunk: int = 2**20) -> Received:
    """Copy ``stream`` to a temporary file, hashing it; UploadRefused past ``max_bytes``.

    Nothing is left behind when it fails.
    """
    tmp = upload_dir(area) / f".{secrets.token_hex(16)}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with refusing_a_full_disk(), open(tmp, "wb") as out:
            while block := stream.read(chunk):
                size += len(block)
                if size > max_bytes:
                    raise UploadRefused(_("The file is larger than %(mb)s MB.",
                                          mb=f"{max_bytes / 2**20:g}"))
                digest.update(block)
                out.write(block)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Received(area, tmp, size, digest.hexdigest())


def sniff_file(path: Path) -> set[str]:
    """``sniff`` for a file on disk (a zip is opened from the disk, not read whole)."""
    with open(path, "rb") as handle:
        head = handle.read(65536)
    if head.startswith(b"PK\x03\x04"):
        if head[30:38] == b"mimetype" and head[38:38 + len(_ODT_MIMETYPE)] == _ODT_MIMETYPE:
            return {"odt"}
        return _ooxml_kinds(str(path))
    return sniff(head)


@dataclass(frozen=True)
class Upload:
    """A file as a member sent it (a form, a mail): its name and its bytes."""

    filename: str
    data: bytes


def check_uploads(uploads, max_count: int, max_bytes: int,
                  too_many: str) -> list[tuple[Upload, FileType]]:
    """Every named upload checked (type by content, size, count) before anything is
    stored; ``too_many`` is the refusal beyond ``max_count`` files."""
    uploads = [u for u in uploads if u.filename]
    if len(uploads) > max_count:
        raise ValidationError(too_many, field="attachments")
    try:
        return [(u, check_upload(u.filename, u.data, max_bytes)) for u in uploads]
    except UploadRefused as exc:
        raise ValidationError(exc.message, field="attachments") from exc


def commit_or_remove(area: str, stored: list[str]) -> None:
    """Commit; if that fails, remove the files written for it in ``area`` and re-raise."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        for name in stored:
            delete(area, name)
        raise
