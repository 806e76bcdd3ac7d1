"""What failed, in one place: unreadable documents (reason in the reader's language, retry,
replace), undelivered mail, failed imports; and nobody but administrators reaches it."""

import io
from pathlib import Path

import pytest

from pen import failures, files, mail
from pen.audit import AuditEntry
from pen.extensions import db
from pen.library import extraction, samples, service, unreadable
from pen.library.models import Version
from tests.imports.conftest import upload

META = service.Metadata(title="Inventory of Viet Nam", doc_type="inventory", language="en")


@pytest.fixture
def unreadable_document(admin):
    """A document whose file was damaged after upload, so its extraction failed."""
    document = service.upload(admin, META, "inventory.pdf",
                              io.BytesIO(samples.make_pdf(["PCB inventory"])))
    version = db.session.get(Version, document.current_version_id)
    Path(files.path_of(service.AREA, version.stored_name)).write_bytes(
        b"%PDF-1.7\n" + b"garbage " * 40 + b"\n%%EOF\n")
    while extraction.run_pending():
        pass
    assert version.extraction == "failed"
    return document


def test_an_unreadable_document_is_listed_with_its_reason_in_the_readers_language(
        admin_client, unreadable_document):
    page = admin_client.get("/admin/failures").get_data(as_text=True)
    assert "Inventory of Viet Nam" in page and "inventory.pdf" in page
    assert "The PDF is damaged and cannot be read." in page
    french = admin_client.get("/admin/failures", headers={"Accept-Language": "fr"})
    assert "Le PDF est endommagé et ne peut pas être lu." in french.get_data(as_text=True)


def test_every_extraction_error_maps_to_a_sentence():
    assert unreadable.reason("the PDF is encrypted").startswith("The PDF is protected")
    assert unreadable.reason("reading the file took longer than 60 seconds").startswith(
        "Reading the file took longer")
    assert unreadable.reason("the zip container is compressed suspiciously well "
                             "(a zip bomb?)").endswith("(a zip bomb?).")
    assert unreadable.reason("something new") == "The file cannot be read."


def test_retry_queues_the_same_file_again(admin, admin_client, unreadable_document):
    version = db.session.get(Version, unreadable_document.current_version_id)
    response = admin_client.post(f"/admin/failures/extraction/{version.id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    assert version.extraction == "pending" and version.extraction_error == ""
    assert db.session.query(AuditEntry).filter_by(action="library.extract_retry").count() == 1
    assert "Inventory of Viet Nam" not in admin_client.get("/admin/failures").get_data(
        as_text=True)


def test_replacing_the_file_takes_the_document_off_the_list(admin, admin_client,
                                                            unreadable_document):
    service.add_version(admin, unreadable_document, "inventory-fixed.pdf",
                        io.BytesIO(samples.make_pdf(["PCB inventory, fixed"])))
    while extraction.run_pending():
        pass
    assert failures.sections()[0].rows(50) == (0, [])
    assert "Inventory of Viet Nam" not in admin_client.get("/admin/failures").get_data(
        as_text=True)


def test_undelivered_mail_is_listed_with_its_error(admin_client):
    message = mail.queue("gone@example.org", "Your invitation to PEN", "Welcome")
    message.status, message.attempts = "failed", 8
    message.last_error = "550 5.1.1 <gone@example.org>: mailbox unavailable"
    db.session.commit()
    page = admin_client.get("/admin/failures").get_data(as_text=True)
    assert "gone@example.org" in page and "mailbox unavailable" in page


def test_a_section_can_be_registered_per_app(app, admin_client):
    failures.register_section(app, failures.Section(
        "bounces", "Bounced mail", "admin/failures/_imports.html", lambda limit: (0, [])))
    assert "Bounced mail" in admin_client.get("/admin/failures").get_data(as_text=True)


PAGES = ["/admin/imports", "/admin/failures", "/admin/imports/job/1",
         "/admin/imports/job/1/progress.json", "/admin/imports/job/1/report.csv"]


def test_members_cannot_reach_any_import_or_failure_page(app, member, make_user, client_as):
    moderator = make_user(email="mod@example.org", roles=("moderator",))
    for client in (client_as(member), client_as(moderator)):
        for path in PAGES:
            assert client.get(path).status_code == 403, path
        refused = upload(client, "members", "list.csv", b"name,email\nA,a@example.org\n")
        assert refused.status_code == 403
    assert not (Path(app.config["UPLOADS_DIR"]) / "imports").exists()


def test_visitors_are_sent_to_sign_in(client):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
