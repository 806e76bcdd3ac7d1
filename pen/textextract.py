"""Text extraction from uploaded documents, in a child process with resource limits.

A document's bytes are the uploader's word, and parsers can be made to eat
memory or time (a PDF stream that inflates to gigabytes, a zip bomb). So the
parsing runs in a separate Python process, started fresh for each file, with
an address-space limit (``RLIMIT_AS``) and a wall-clock timeout; whatever goes
wrong there kills the child, never the worker. Zip containers (DOCX, ODT,
XLSX, PPTX) are checked for entry count, declared size and compression ratio
before anything opens them, here and at upload time.

This module is core and imports no area. Children are forked from a fork
server (``multiprocessing``'s "forkserver") that imported the parsers once,
so a child starts in milliseconds and inherits nothing of the worker: no
database connection, no open files, no request.
"""

import multiprocessing
import os
import re
import zipfile
from dataclasses import dataclass, field

TEXT_MAX_BYTES = 10 * 2**20  # extracted text kept per file
MEMORY_LIMIT = 2**30  # RLIMIT_AS of the child
TIME_LIMIT = 60.0  # seconds
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_DECLARED = 512 * 2**20  # sum of the entries' uncompressed sizes
ZIP_MAX_RATIO = 200  # uncompressed / compressed, for entries over ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 2**20
XML_MAX_BYTES = 64 * 2**20  # one XML part read from a zip
PDF_TRAILING_MAX = 2**20  # bytes after %%EOF tolerated (pypdf looks as far)
ZIP_KINDS = ("docx", "odt", "xlsx", "pptx")
TEXT_KINDS = ("txt", "md", "csv")
_OUT_OF_MEMORY = "the file needs more memory than allowed to read"
_CONTEXT = None


class ExtractionError(Exception):
    """A file whose text cannot be had; the message says why, for the uploader."""


@dataclass
class Extracted:
    """The text of a file and, for paged formats, where each page starts.

    ``pages`` holds (offset in ``text``, printed page label) per page.
    """

    text: str = ""
    pages: list[tuple[int, str]] = field(default_factory=list)
    truncated: bool = False


# --- Checks cheap enough to run during the upload ------------------------------------

def check_zip(path: str) -> None:
    """Refuse a zip container that is corrupt or could expand beyond the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractionError("the file is a damaged zip container") from exc
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ExtractionError(f"the zip container holds {len(infos)} entries "
                              f"(at most {ZIP_MAX_ENTRIES})")
    declared = sum(info.file_size for info in infos)
    if declared > ZIP_MAX_DECLARED:
        raise ExtractionError(f"the zip container would expand to {declared // 2**20} MB "
                              f"(at most {ZIP_MAX_DECLARED // 2**20} MB)")
    for info in infos:
        if info.file_size > ZIP_RATIO_FLOOR and \
                info.file_size > ZIP_MAX_RATIO * max(1, info.compress_size):
            raise ExtractionError("the zip container is compressed suspiciously well "
                                  "(a zip bomb?)")


def check_pdf(path: str) -> None:
    """Refuse a PDF that is cut short or encrypted (its text could not be read).

    Data after the last ``%%EOF`` (padding, a signature block, a mail gateway's
    footer) is tolerated up to ``PDF_TRAILING_MAX``, as pypdf tolerates it; a
    PDF cut short has no ``%%EOF`` there, or one whose ``startxref`` points past it.
    """
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        handle.seek(max(0, size - PDF_TRAILING_MAX))
        window = handle.read()
    end = window.rfind(b"%%EOF")
    trailer = window[max(0, end - 2048):end]
    found = re.search(rb"startxref\s+(\d+)\s*$", trailer)
    # The cross-reference table starts before its trailer, inside the file.
    if end < 0 or not found or int(found.group(1)) >= size - len(window) + end:
        raise ExtractionError("the PDF is incomplete (truncated)")
    if re.search(rb"/Encrypt\s", trailer) or re.search(rb"/Encrypt\s*\d+\s+\d+\s+R", trailer):
        raise ExtractionError("the PDF is encrypted")


# --- Parsers (run in the child) -------------------------------------------------------

def extract_pdf(path: str) -> Extracted:
    """The text of each page, with the page labels the PDF declares."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise ExtractionError("the PDF is encrypted")
        labels = list(reader.page_labels)
        out, size = Extracted(), 0
        for number, page in enumerate(reader.pages):
            label = labels[number] if number < len(labels) else str(number + 1)
            text = (page.extract_text() or "").strip()
            out.pages.append((size, label))
            out.text += text + "\n\n"
            size = len(out.text)
            if len(out.text.encode()) > TEXT_MAX_BYTES:
                out.truncated = True
                break
        return out
    except PyPdfError as exc:
        raise ExtractionError(f"the PDF cannot be read ({_short(exc)})") from exc


def extract_docx(path: str) -> Extracted:
    """Paragraphs and table cells of a Word document."""
    import docx

    check_zip(path)
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return Extracted(text="\n".join(parts))


# The XML elements holding text in the other zip formats, and what ends a paragraph.
_XML_TEXT = {
    "odt": (("content.xml",), {"p", "h"}),
    "pptx": ((r"ppt/slides/slide\d+\.xml",), {"p"}),
    "xlsx": (("xl/sharedStrings.xml",), {"si"}),
}


def extract_zip_xml(path: str, kind: str) -> Extracted:
    """Text of ODT, PPTX and XLSX files: the character data of their XML parts."""
    import xml.etree.ElementTree as ET

    check_zip(path)
    patterns, paragraph_tags = _XML_TEXT[kind]
    parts: list[str] = []
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if any(re.fullmatch(p, n) for p in patterns)]
        for name in sorted(names, key=_natural):
            with archive.open(name) as member:
                data = member.read(XML_MAX_BYTES + 1)
            if len(data) > XML_MAX_BYTES:
                raise ExtractionError(f"{name} is too large to read")
            root = ET.fromstring(data)  # noqa: S314 - expat refuses entity expansion bombs
            for element in root.iter():
                if element.tag.rsplit("}", 1)[-1] in paragraph_tags:
                    text = "".join(element.itertext()).strip()
                    if text:
                        parts.append(text)
    return Extracted(text="\n".join(parts))


def _natural(name: str) -> list:
    """slide2 before slide10."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def extract_plain(path: str) -> Extracted:
    """Plain text, Markdown and CSV: the file itself, decoded."""
    with open(path, "rb") as handle:
        data = handle.read(TEXT_MAX_BYTES + 4)
    return Extracted(text=decode_text(data), truncated=len(data) > TEXT_MAX_BYTES)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", errors="ignore") if _mostly_utf8(data) \
            else data.decode("latin-1")


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 cut in the middle of a character at the end (a capped read)."""
    try:
        data[:-4].decode("utf-8-sig")
        return True
    except UnicodeDecodeError:
        return False


PARSERS = {"pdf": extract_pdf, "docx": extract_docx, "txt": extract_plain,
           "md": extract_plain, "csv": extract_plain}


def extract_here(kind: str, path: str) -> Extracted:
    """Extract in this process (the child calls it); ExtractionError if impossible."""
    if kind in _XML_TEXT:
        result = extract_zip_xml(path, kind)
    elif kind in PARSERS:
        result = PARSERS[kind](path)
    else:
        raise ExtractionError(f"text is not extracted from {kind} files")
    return cap(result)


def cap(result: Extracted) -> Extracted:
    """Keep at most ``TEXT_MAX_BYTES`` of text (UTF-8), cut at a character boundary."""
    encoded = result.text.encode("utf-8")
    if len(encoded) > TEXT_MAX_BYTES:
        result.text = encoded[:TEXT_MAX_BYTES].decode("utf-8", errors="ignore")
        result.pages = [(start, label) for start, label in result.pages
                        if start < len(result.text)]
        result.truncated = True
    result.text = result.text.replace("\x00", "")
    return result


def _short(exc: BaseException) -> str:
    """An exception as a short, single-line reason."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


# --- The parent's side ---------------------------------------------------------------

def _limit_child(memory: int, seconds: float):
    """A function capping the calling process's address space and CPU time."""

    def apply() -> None:
        """Runs first thing in the child."""
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        os.nice(5)  # extraction yields to requests

    return apply


def _context():
    """The fork server: a clean process that has imported the parsers once.

    Each file is read in a new child forked from it, so a child starts in
    milliseconds instead of loading Python and pypdf again, and shares nothing
    with the worker (no database connection, no open files).
    """
    global _CONTEXT
    if _CONTEXT is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pen.textextract", "pypdf", "docx"])
        _CONTEXT = context
    return _CONTEXT


def _child(sender, kind: str, path: str, memory: int, seconds: float) -> None:
    """The child: limit itself, extract, send the text or the reason back, exit."""
    _limit_child(memory, seconds)()
    try:
        result = extract_here(kind, path)
        answer = {"text": result.text, "pages": result.pages, "truncated": result.truncated}
    except ExtractionError as exc:
        answer = {"error": str(exc)}
    except MemoryError:
        answer = {"error": _OUT_OF_MEMORY}
    except Exception as exc:  # any parser failure is the file's fault, said plainly
        answer = {"error": f"the file cannot be read ({_short(exc)})"}
    try:
        sender.send(answer)
    except MemoryError:
        sender.send({"error": _OUT_OF_MEMORY})
    finally:
        sender.close()


def extract(kind: str, path: str, *, memory: int = MEMORY_LIMIT,
            timeout: float = TIME_LIMIT) -> Extracted:
    """Extract the text of ``path`` (a file of ``kind``) in a limited child process.

    Raises ExtractionError with a reason a member can read when the file cannot
    be read, the child runs out of memory or time, or dies.
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, daemon=True,
                            args=(sender, kind, os.path.abspath(path), memory, timeout))
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ExtractionError(f"reading the file took longer than {timeout:g} seconds")
        answer = receiver.recv()
    except (EOFError, OSError) as exc:  # the child died: killed by a limit
        raise ExtractionError(f"reading the file needed more than {memory // 2**20} MB of "
                              "memory or too much time") from exc
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if "error" in answer:
        raise ExtractionError(answer["error"])
    return Extracted(text=answer["text"], pages=[tuple(p) for p in answer["pages"]],
                     truncated=answer["truncated"])
