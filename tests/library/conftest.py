"""Fixtures of the library: files, a thematic group, sharing, extraction and the index."""

import io
import zipfile
import zlib

import pytest

from pen.extensions import db
from pen.groups import service as groups
from pen.groups.service import GroupFields
from pen.library import extraction, samples, service
from pen.members.models import ExpertiseArea

INVENTORY_PAGES = [
    "PCB inventory of Viet Nam. Summary of the national inventory of equipment.",
    "Transformers were sampled in 2009 and 2010 by the electricity utility.",
    "Capacitors in industrial plants were labelled; 120 contained askarel oil.",
    "The interim storage site at Hai Phong holds drums awaiting export for destruction.",
]


@pytest.fixture
def extract(indexed):
    """Run the worker's extraction task until nothing waits, then index."""

    def run():
        handled = 0
        while count := extraction.run_pending():
            handled += count
        indexed()
        return handled

    return run


@pytest.fixture
def topics(app):
    """Two expertise terms of the member database."""
    terms = [ExpertiseArea(name="PCB inventories"), ExpertiseArea(name="Decontamination")]
    db.session.add_all(terms)
    db.session.commit()
    return terms


@pytest.fixture
def coordinator(make_user):
    """A member of the maintenance group (its coordinator)."""
    return make_user(email="kofi.mensah@example.org", name="Kofi Mensah")


@pytest.fixture
def group(admin, coordinator):
    """The Thematic Group on Maintenance of PCB-containing equipment."""
    fields = GroupFields("Maintenance of PCB-containing equipment", "pcb-maintenance",
                         "We met in Panama City.")
    return groups.create_group(admin, fields, [coordinator])


@pytest.fixture
def pdf_bytes():
    """A four-page inventory report whose first page is labelled "i"."""
    return samples.make_pdf(INVENTORY_PAGES, roman_front=1)


def meta(**values) -> service.Metadata:
    """Metadata of a guideline in English open to the network, with ``values`` changed."""
    defaults = {"title": "PCB inventory of Viet Nam", "doc_type": "inventory",
                "language": "en", "year": 2010, "authors": "Ministry of Natural Resources"}
    return service.Metadata(**(defaults | values))


@pytest.fixture
def share():
    """``share(actor, filename, data, **metadata)``: upload through the service."""

    def upload(actor, filename, data, **values):
        return service.upload(actor, meta(**values), filename, io.BytesIO(data))

    return upload


def docx_bomb() -> bytes:
    """A DOCX-looking zip whose document part inflates from about 100 KB to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b" " * 2**20
            for _ in range(200):
                part.write(block)
    return buffer.getvalue()


def pdf_bomb(megabytes: int = 300) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB."""
    compressor = zlib.compressobj(9)
    chunk = b"BT /F1 10 Tf 56 790 Td (PCB) Tj ET\n" * 30000
    parts, total = [], 0
    while total < megabytes * 2**20:
        parts.append(compressor.compress(chunk))
        total += len(chunk)
    parts.append(compressor.flush())
    stream = b"".join(parts)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
               b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return samples.serialise(objects, 1)


def encrypted_pdf(data: bytes) -> bytes:
    """``data`` encrypted with a password, as pypdf writes it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
