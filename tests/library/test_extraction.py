"""Text extraction in the worker: pages, formats, and files whose text cannot be read."""

import io
import os
from pathlib import Path

from sqlalchemy import select

from pen import search, textextract
from pen.extensions import db
from pen.library import extraction, samples, service
from pen.library.models import Version
from pen.notifications.models import Notification
from tests.library.conftest import INVENTORY_PAGES, encrypted_pdf, meta, pdf_bomb


def test_pdf_text_is_stored_with_its_printed_page_labels(member, share, pdf_bytes, extract):
    document = share(member, "inventory.pdf", pdf_bytes)
    assert extract() == 1
    version = db.session.get(Version, document.current_version_id)
    assert version.extraction == "done" and version.extraction_error == ""
    assert [label for _, label in version.pages] == ["i", "1", "2", "3"]
    start, _ = version.pages[2]
    assert version.text[start:].startswith("Capacitors in industrial plants")
    assert all(page.split()[0] in version.text for page in INVENTORY_PAGES)


def test_pdf_with_kilobytes_after_its_end_marker_is_accepted_and_read(member, share, pdf_bytes,
                                                                     extract):
    # A mail gateway's footer or padding after %%EOF: pypdf reads every page anyway.
    padded = pdf_bytes + b"\r\n-- \nScanned by the gateway\x00" * 150
    assert len(padded) - len(pdf_bytes) > 4000
    document = share(member, "inventory.pdf", padded)
    assert extract() == 1
    version = db.session.get(Version, document.current_version_id)
    assert version.extraction == "done"
    assert [label for _, label in version.pages] == ["i", "1", "2", "3"]
    assert all(page.split()[0] in version.text for page in INVENTORY_PAGES)


def test_docx_markdown_csv_odt_and_pptx_text(member, share, extract, tmp_path):
    shared = {
        "guide.docx": samples.make_docx(["Décontamination des transformateurs"], "Guide"),
        "notes.md": b"# Notes\n\nAskarel **oil** samples",
        "sites.csv": b"site,drums\nHai Phong,40\n",
    }
    ids = {name: share(member, name, data, title=name).current_version_id
           for name, data in shared.items()}
    extract()
    texts = {name: db.session.get(Version, vid).text for name, vid in ids.items()}
    assert "Décontamination des transformateurs" in texts["guide.docx"]
    assert "Askarel **oil** samples" in texts["notes.md"]
    assert "Hai Phong,40" in texts["sites.csv"]


def test_zip_formats_are_read_from_their_xml(tmp_path):
    import zipfile

    odt = tmp_path / "minutes.odt"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", '<office:document-content xmlns:office="o" '
                         'xmlns:text="t"><text:h>Minutes</text:h><text:p>Panama City, '
                         '<text:span>February</text:span> 2011</text:p></office:document-content>')
    assert textextract.extract_here("odt", str(odt)).text == "Minutes\nPanama City, February 2011"
    pptx = tmp_path / "talk.pptx"
    with zipfile.ZipFile(pptx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n, words in ((2, "Second slide"), (10, "Tenth slide"), (1, "First slide")):
            archive.writestr(f"ppt/slides/slide{n}.xml", f'<p:sld xmlns:a="a" xmlns:p="p">'
                             f"<a:p><a:r><a:t>{words}</a:t></a:r></a:p></p:sld>")
    assert textextract.extract_here("pptx", str(pptx)).text.split("\n") == [
        "First slide", "Second slide", "Tenth slide"]


def test_pdf_bomb_is_kept_marked_notified_and_found_by_metadata(member, share, extract):
    document = share(member, "bomb.pdf", pdf_bomb(300), title="Inflating report",
                     description="Decontamination of **askarel** transformers")
    assert extract() == 1  # the worker carried on
    version = db.session.get(Version, document.current_version_id)
    assert version.extraction == "failed" and "Limit reached" in version.extraction_error
    assert version.text == ""
    note = db.session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert note.kind == "library.extraction_failed" and "bomb.pdf" in note.excerpt
    results = search.search(service.KIND, member, "askarel")
    assert [hit.id for hit in results.hits] == [document.id]


def test_encrypted_pdf_the_upload_check_missed_is_marked(member, extract, pdf_bytes):
    document = service.upload(member, meta(), "report.pdf", io.BytesIO(pdf_bytes))
    version = db.session.get(Version, document.current_version_id)
    # An encryption dictionary the trailer check cannot see (e.g. in an xref stream).
    Path(service_path(version)).write_bytes(encrypted_pdf(pdf_bytes))
    extract()
    assert version.extraction == "failed" and version.extraction_error == "the PDF is encrypted"


def service_path(version) -> str:
    """Where a version's file is stored."""
    from pen import files

    return str(files.path_of(service.AREA, version.stored_name))


def test_truncated_pdf_that_passes_the_upload_check_is_marked(member, extract, pdf_bytes):
    document = service.upload(member, meta(), "report.pdf", io.BytesIO(pdf_bytes))
    version = db.session.get(Version, document.current_version_id)
    # Damaged after upload: only the tail survives.
    Path(service_path(version)).write_bytes(b"%PDF-1.7\n" + pdf_bytes[-200:])
    extract()
    assert version.extraction == "failed"
    assert "cannot be read" in version.extraction_error


def test_time_and_memory_limits_stop_the_child_not_the_worker(app_factory, make_user, tmp_path):
    slow = app_factory(LIBRARY_EXTRACT_TIMEOUT=0.2)
    with slow.app_context():
        member = make_user()
        document = service.upload(member, meta(), "notes.txt", io.BytesIO(b"PCB " * 1000))
        # A reader that never finishes, whatever the machine's speed: the stored file
        # becomes a pipe nobody writes to, so the child blocks opening it.
        stored = Path(service_path(db.session.get(Version, document.current_version_id)))
        stored.unlink()
        os.mkfifo(stored)
        extraction.run_pending()
        version = db.session.get(Version, document.current_version_id)
        assert version.extraction == "failed"
        assert "took longer than" in version.extraction_error
    big = tmp_path / "big.txt"
    big.write_text("polychlorinated biphenyls é " * 340_000)
    try:
        textextract.extract("txt", str(big), memory=38 * 2**20)
    except textextract.ExtractionError as exc:
        assert "memory" in str(exc)
    else:
        raise AssertionError("a 9 MB text read within 38 MB of address space")
    assert len(textextract.extract("txt", str(big)).text) == 28 * 340_000


def test_extracted_text_is_capped_at_10_mb():
    result = textextract.cap(textextract.Extracted(text="é" * (6 * 2**20),
                                                   pages=[(0, "1"), (6_000_000, "2")]))
    assert len(result.text.encode()) <= textextract.TEXT_MAX_BYTES and result.truncated
    assert result.pages == [(0, "1")]


def test_two_workers_never_extract_the_same_version(member, share, pdf_bytes):
    document = share(member, "inventory.pdf", pdf_bytes)
    assert extraction._claim(document.current_version_id) is True
    assert extraction._claim(document.current_version_id) is False


def test_the_worker_pass_extracts_and_survives_a_bad_file(app, member, share, pdf_bytes):
    from pen import worker

    share(member, "bomb.pdf", pdf_bomb(200), title="Bomb")
    share(member, "inventory.pdf", pdf_bytes)
    results = worker.run_pass()
    assert results["library"] == 2
    states = sorted(v.extraction for v in db.session.scalars(select(Version)))
    assert states == ["done", "failed"]
