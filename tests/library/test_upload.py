"""Sharing documents through the service: metadata, storage, duplicates and every bad file."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pen.errors import Forbidden, ValidationError
from pen.extensions import db
from pen.library import samples, service
from pen.library.models import Document, Version, Work
from tests.library.conftest import docx_bomb, encrypted_pdf, meta


def uploads(app) -> list[Path]:
    """Every file (temporary ones included) in the library's upload folder."""
    folder = Path(app.config["DATA_DIR"]) / "uploads" / "library"
    return sorted(folder.iterdir()) if folder.exists() else []


def row_counts() -> tuple[int, int, int]:
    """How many works, documents and versions exist."""
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Work, Document, Version))


def test_upload_stores_file_under_random_name_with_checksum(app, member, share, pdf_bytes):
    document = share(member, "Inventaire PCB – Việt Nam.pdf", pdf_bytes)  # noqa: RUF001 - on purpose
    version = document.current
    assert version.filename == "Inventaire PCB – Việt Nam.pdf"  # noqa: RUF001 - on purpose
    assert version.kind == "pdf" and version.size == len(pdf_bytes)
    assert len(version.sha256) == 64 and version.extraction == "pending"
    [stored] = uploads(app)
    assert stored.name == version.stored_name and stored.read_bytes() == pdf_bytes
    assert "Việt" not in stored.name and stored.suffix == ".pdf"


def test_metadata_is_checked_field_by_field(member, share, pdf_bytes):
    cases = [({"title": "  "}, "title"), ({"doc_type": "novel"}, "doc_type"),
             ({"language": "xx"}, "language"), ({"year": 1700}, "year"),
             ({"country": "ZZ"}, "country"), ({"access": "everyone"}, "access"),
             ({"access": "group", "group_id": None}, "group_id")]
    for values, field in cases:
        with pytest.raises(ValidationError) as refused:
            share(member, "report.pdf", pdf_bytes, **values)
        assert refused.value.field == field
    assert row_counts() == (0, 0, 0)


def test_members_may_not_share_with_admins_or_groups_they_are_not_in(member, share, pdf_bytes,
                                                                   group):
    for values in ({"access": "admins"}, {"access": "group", "group_id": group.id}):
        with pytest.raises(ValidationError, match="may not share"):
            share(member, "report.pdf", pdf_bytes, **values)


def test_suspended_or_anonymous_may_not_upload(make_user, share, pdf_bytes):
    suspended = make_user(status="suspended")
    with pytest.raises(Forbidden):
        share(suspended, "report.pdf", pdf_bytes)


def test_same_file_twice_is_offered_as_the_existing_document(app, member, make_user, share,
                                                             pdf_bytes):
    first = share(member, "inventory.pdf", pdf_bytes)
    other = make_user()
    with pytest.raises(service.Duplicate) as duplicate:
        share(other, "copy of inventory.pdf", pdf_bytes, title="Another title")
    assert duplicate.value.document.id == first.id
    assert row_counts() == (1, 1, 1) and len(uploads(app)) == 1
    again = service.upload(other, meta(title="Kept anyway"), "copy.pdf", io.BytesIO(pdf_bytes),
                           allow_duplicate=True)
    assert again.id != first.id


def test_duplicate_of_a_document_the_member_cannot_open_is_not_revealed(admin, member, share,
                                                                       pdf_bytes):
    share(admin, "secret.pdf", pdf_bytes, access="admins")
    document = share(member, "mine.pdf", pdf_bytes)
    assert document.title == "PCB inventory of Viet Nam"


BAD_FILES = [
    ("empty.pdf", b"", "is empty"),
    ("report.pdf", b"<html><script>alert(1)</script></html>", "not really a PDF"),
    ("report.docx", samples.make_pdf(["a PDF named docx"]), "not really a DOCX"),
    ("notes.txt", b"\x00\x01\x02binary" * 50, "not really a TXT"),
    ("report.exe", b"MZ\x90\x00", "not a type of file the library takes"),
    ("truncated.pdf", samples.make_pdf(["cut short"] * 5)[:-300], "incomplete"),
    ("halved.pdf", samples.make_pdf(["cut short"] * 5)[:400] + b"\n" * 3000, "incomplete"),
    ("patched.pdf", samples.make_pdf(["cut short"] * 5)[:400] + b"startxref\n9000\n%%EOF\n",
     "incomplete"),
    ("bomb.docx", docx_bomb(), "zip bomb"),
    ("", b"%PDF-1.7 nameless", "no name"),
    ("\x00", b"%PDF-1.7 nul name", "control characters"),
    ("../../etc/passwd.pdf", samples.make_pdf(["escape"]), "may not contain folders"),
    ("..\\..\\boot.pdf", samples.make_pdf(["escape"]), "may not contain folders"),
]


@pytest.mark.parametrize(("filename", "data", "message"), BAD_FILES,
                         ids=[case[2] for case in BAD_FILES])
def test_bad_files_are_refused_with_a_reason_leaving_nothing(app, member, share, filename, data,
                                                             message):
    with pytest.raises(ValidationError, match=message) as refused:
        share(member, filename, data)
    assert refused.value.field == "file"
    assert uploads(app) == [] and row_counts() == (0, 0, 0)


def test_encrypted_pdf_is_refused(app, member, share, pdf_bytes):
    with pytest.raises(ValidationError, match="encrypted"):
        share(member, "locked.pdf", encrypted_pdf(pdf_bytes))
    assert uploads(app) == [] and row_counts() == (0, 0, 0)


def test_file_over_the_size_limit_is_refused_while_streaming(app_factory, member, share):
    app = app_factory(LIBRARY_MAX_MB=0.01)
    with app.app_context():
        with pytest.raises(ValidationError, match="larger than"):
            share(member, "big.txt", b"polychlorinated biphenyls\n" * 1000)
        assert uploads(app) == []


def test_every_accepted_format_is_stored(member, share):
    files = {"guide.md": b"# Guide\n\nLabel every **transformer**.",
             "list.csv": b"site;transformers\nHai Phong;12\n",
             "notes.txt": "Décontamination des transformateurs".encode(),
             "letter.docx": samples.make_docx(["Dear members"])}
    for name, data in files.items():
        document = share(member, name, data, title=name)
        assert document.current.kind == Path(name).suffix.lstrip(".")


def test_new_version_becomes_default_and_old_stays(member, share, pdf_bytes):
    document = share(member, "inventory.pdf", pdf_bytes)
    service.add_version(member, document, "inventory-v2.pdf",
                        io.BytesIO(samples.make_pdf(["Revised inventory"])), note="Table 3 fixed")
    numbers = [v.number for v in document.versions]
    assert numbers == [2, 1] and document.current.number == 2
    assert document.current.note == "Table 3 fixed"


def test_editions_link_the_languages_of_a_work(member, share, pdf_bytes):
    english = share(member, "magazine-en.pdf", pdf_bytes, doc_type="magazine",
                    title="PEN magazine no. 1")
    service.add_edition(member, english, "fr", "Magazine du PEN no 1", "",
                        "magazine-fr.docx", io.BytesIO(samples.make_docx(["Inventaires"])))
    french = next(d for d in english.work.editions if d.language == "fr")
    assert [d.language for d in english.siblings()] == ["fr"]
    assert french.work.doc_type == "magazine"
    with pytest.raises(ValidationError, match="already has an edition"):
        service.add_edition(member, english, "fr", "Encore", "", "x.txt", io.BytesIO(b"x"))


def test_only_the_owner_or_an_admin_edits(member, make_user, admin, share, pdf_bytes):
    document = share(member, "inventory.pdf", pdf_bytes)
    other = make_user()
    with pytest.raises(Forbidden):
        service.update_metadata(other, document, meta(title="Hijacked"))
    service.update_metadata(admin, document, meta(title="Inventory of PCBs, Viet Nam",
                                                  access="admins"))
    assert document.title == "Inventory of PCBs, Viet Nam" and document.work.access == "admins"
