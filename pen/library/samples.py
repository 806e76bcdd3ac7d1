"""Small, real files made on the fly: PDFs and Word documents for the demo, tests and benchmark.

The PDF writer is minimal on purpose (Helvetica, Latin-1 text, one text block
per page) but its output is a valid PDF that pypdf reads page by page, with
optional page labels ("i", "ii", "1"…) as printed documents declare them.
"""

import io
import textwrap
import zlib


def _pdf_string(text: str) -> bytes:
    """A PDF literal string of Latin-1 text (other characters become ``?``)."""
    raw = text.encode("latin-1", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _page_stream(text: str) -> bytes:
    """The content stream of one page: the text wrapped to 90 columns."""
    lines = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, 90) or [""]
    ops = [b"BT /F1 10 Tf 12 TL 56 790 Td"]
    ops += [_pdf_string(line) + b" '" for line in lines[:62]]
    ops.append(b"ET")
    return b"\n".join(ops)


def make_pdf(pages: list[str], *, roman_front: int = 0, compress: bool = True) -> bytes:
    """A PDF with one page per text; the first ``roman_front`` pages labelled i, ii…"""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        """Append an object; its number."""
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    kids = []
    for text in pages:
        content = add(_content_object(_page_stream(text), compress))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_obj, font, content)))
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    labels = b""
    if roman_front:
        labels = b" /PageLabels << /Nums [0 << /S /r >> %d << /S /D >>] >>" % roman_front
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_obj, labels)
    return serialise(objects, catalog)


def _content_object(stream: bytes, compress: bool) -> bytes:
    """A stream object, deflated if asked."""
    if compress:
        stream = zlib.compress(stream)
    filters = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream"


def serialise(objects: list[bytes], root: int) -> bytes:
    """Objects, cross-reference table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, root, xref))
    return out.getvalue()


def make_docx(paragraphs: list[str], title: str | None = None) -> bytes:
    """A Word document with a heading and paragraphs (any script: Arabic, Chinese…)."""
    import docx

    document = docx.Document()
    if title:
        document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
