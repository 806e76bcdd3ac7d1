"""Importing library files on the web: a zip with its metadata.csv, and the zips refused."""

import io
import os
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from pen.extensions import db
from pen.imports import jobs
from pen.library import samples
from pen.library.models import Document, Version
from tests.imports.conftest import job, job_id_of, upload

METADATA = ("file;title;type;language;year;edition_of\n"
            "magazine-1-en.pdf;PEN magazine no. 1;Magazine issue;English;2010;\n"
            "magazine-1-fr.docx;Magazine du PEN no 1;magazine;fr;2010;magazine-1-en.pdf\n"
            "fake.pdf;Fake;guideline;en;;\n"
            "missing.pdf;Missing;guideline;en;;\n")


def make_zip(entries, top: str = "") -> bytes:
    """A zip of (name, bytes), optionally inside one top folder."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(f"{top}{name}", data)
    return out.getvalue()


def library_zip(top: str = "") -> bytes:
    return make_zip([("metadata.csv", METADATA.encode()),
                     ("magazine-1-en.pdf", samples.make_pdf(["PCB inventories"])),
                     ("magazine-1-fr.docx", samples.make_docx(["Inventaires de PCB"])),
                     ("fake.pdf", b"<html>fake</html>")], top)


def documents() -> int:
    return db.session.scalar(select(func.count()).select_from(Document))


def stored_files(app) -> list[Path]:
    return [p for p in (Path(app.config["UPLOADS_DIR"]) / "library").glob("*") if p.is_file()]


def test_zip_upload_preview_confirm_run_report(app, admin_client, run_worker):
    job_id = job_id_of(upload(admin_client, "library", "library.zip", library_zip("pen/")))
    page = admin_client.get(f"/admin/imports/job/{job_id}").get_data(as_text=True)
    assert "<code>edition_of</code>: Edition of" in page and "PEN magazine no. 1" in page
    assert "no file named &#39;missing.pdf&#39; in the zip" in page
    assert documents() == 0
    admin_client.post(f"/admin/imports/job/{job_id}/confirm")  # no cohort for files
    assert run_worker() == 1
    done = job(job_id)
    assert done.status == "done"
    assert done.totals == {"imported": 2, "skipped": 0, "refused": 2}
    outcomes = {line["item"]: (line["outcome"], line["detail"]) for line in done.report}
    assert outcomes["fake.pdf"][0] == "refused" and "not really a PDF" in outcomes["fake.pdf"][1]
    assert outcomes["missing.pdf"][0] == "refused"
    assert documents() == 2 and len(stored_files(app)) == 2
    report = admin_client.get(f"/admin/imports/job/{job_id}?lines=refused").get_data(as_text=True)
    assert "fake.pdf" in report and "magazine-1-en.pdf" not in report
    # The unpacked folder and the upload are gone; the report stays.
    assert not [p for p in (Path(app.config["UPLOADS_DIR"]) / "imports").iterdir()]


def test_a_zip_with_path_traversal_is_refused_at_upload(app, admin_client):
    for name in ("../escape.pdf", "/etc/escape.pdf"):
        data = make_zip([("metadata.csv", METADATA.encode()), (name, b"%PDF-1.4")])
        response = upload(admin_client, "library", "library.zip", data)
        assert response.status_code == 400
        assert "outside its own folder" in response.get_data(as_text=True)
    assert not [p for p in (Path(app.config["UPLOADS_DIR"]) / "imports").iterdir()]


def test_a_zip_bomb_is_refused_at_upload(admin_client):
    data = make_zip([("metadata.csv", METADATA.encode()), ("bomb.txt", b"\0" * (20 * 2**20))])
    response = upload(admin_client, "library", "library.zip", data)
    assert response.status_code == 400 and "zip bomb" in response.get_data(as_text=True)


def test_a_zip_unpacking_beyond_the_limit_is_refused(app, admin_client):
    app.config["IMPORT_ZIP_MAX_MB"] = 1
    data = make_zip([("metadata.csv", METADATA.encode()), ("a.bin", os.urandom(2**21))])
    response = upload(admin_client, "library", "library.zip", data)
    assert response.status_code == 400
    assert "more than 1 MB" in response.get_data(as_text=True)


def test_imports_take_files_larger_than_other_forms_up_to_their_own_limit(app, admin_client):
    app.config["MAX_CONTENT_LENGTH"] = 2**20  # other forms: 1 MB
    data = make_zip([("metadata.csv", METADATA.encode()), ("a.bin", os.urandom(2 * 2**20))],
                    top="pen/")
    assert len(data) > 2**20
    assert upload(admin_client, "library", "library.zip", data).status_code == 302
    app.config["IMPORT_MAX_MB"] = 1
    assert upload(admin_client, "library", "library.zip", data).status_code == 413


def test_a_zip_without_metadata_or_not_a_zip_is_refused(admin_client):
    no_metadata = upload(admin_client, "library", "l.zip", make_zip([("a.pdf", b"%PDF")]))
    assert no_metadata.status_code == 400
    assert "no metadata.csv" in no_metadata.get_data(as_text=True)
    not_zip = upload(admin_client, "library", "l.zip", b"just text")
    assert not_zip.status_code == 400 and "not a zip file" in not_zip.get_data(as_text=True)
    wrong_type = upload(admin_client, "library", "l.csv", b"file,title\n")
    assert wrong_type.status_code == 400 and "Choose a .zip file" in \
        wrong_type.get_data(as_text=True)


def test_a_library_import_that_fails_as_a_whole_leaves_no_document_and_no_file(
        app, admin_client, run_worker):
    """The zip's last file lies about its size: unpacking fails after the check, so the
    import fails as a whole: no document, no stored file."""
    data = bytearray(library_zip())
    job_id = job_id_of(upload(admin_client, "library", "library.zip", bytes(data)))
    admin_client.post(f"/admin/imports/job/{job_id}/confirm")  # no cohort for files
    _break_last_entry(app, job(job_id))
    run_worker()
    failed = job(job_id)
    assert failed.status == "failed" and "damaged" in failed.error
    assert documents() == 0 and not stored_files(app)
    assert db.session.scalar(select(func.count()).select_from(Version)) == 0


def _break_last_entry(app, import_job) -> None:
    """Corrupt the compressed bytes of the zip's last entry (its checksum fails on reading)."""
    path = jobs.path_of(import_job)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[-1]
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
