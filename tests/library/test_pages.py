"""What members see: the library home, document pages, forms, downloads, refusals."""

import io
import re
from urllib.parse import quote

from sqlalchemy import func, select

from pen.extensions import db
from pen.library import samples, service
from pen.library.models import Document
from tests.library.conftest import meta


def upload_form(**values) -> dict:
    """The fields of the upload form, with ``values`` changed."""
    return {"title": "Guidelines for PCB inventories", "description": "Step by **step**.",
            "authors": "UNEP", "doc_type": "guideline", "language": "en", "year": "2011",
            "country": "", "access": "network", "group_id": ""} | values


def test_upload_through_the_form_then_see_and_download(app, client_as, member, extract):
    client = client_as(member)
    data = upload_form(file=(io.BytesIO(samples.make_pdf(["Inventory steps"] * 3)),
                             "Guía de inventario – ñandú.pdf"))  # noqa: RUF001 - on purpose
    response = client.post("/library/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and b"being extracted" in page.data
    extract()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Guidelines for PCB inventories" in page and "<strong>step</strong>" in page
    assert "Page 1" in page and "Inventory steps" in page
    document = db.session.scalar(select(Document))
    download = client.get(f"/library/{document.id}/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote("Guía de inventario – ñandú.pdf") in disposition  # noqa: RUF001 - on purpose
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    db.session.expire_all()
    assert db.session.get(Document, document.id).download_count == 1


def test_a_refused_upload_keeps_what_was_typed_and_says_why(client_as, member):
    client = client_as(member)
    data = upload_form(title="Inventaire national des PCB", description="Notes *importantes*",
                       file=(io.BytesIO(b"<html>not a pdf</html>"), "rapport.pdf"))
    response = client.post("/library/upload", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not really a PDF file" in page
    assert 'value="Inventaire national des PCB"' in page and "Notes *importantes*" in page
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_a_missing_title_is_shown_beside_the_field(client_as, member):
    client = client_as(member)
    data = upload_form(title="", file=(io.BytesIO(b"some text"), "notes.txt"))
    page = client.post("/library/upload", data=data,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert re.search(r'id="title-error"[^>]*>[^<]*Give the document a title', page)


def test_the_same_file_twice_is_offered_as_the_existing_document(client_as, member, share,
                                                                  pdf_bytes):
    existing = share(member, "inventory.pdf", pdf_bytes)
    client = client_as(member)
    data = upload_form(file=(io.BytesIO(pdf_bytes), "copy.pdf"))
    page = client.post("/library/upload", data=data,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "already in the library" in page
    assert f'href="/library/{existing.id}"' in page and "duplicate_ok" in page


def test_documents_of_a_group_answer_404_to_others(client_as, member, coordinator, group, admin,
                                                   share):
    document = share(admin, "minutes.txt", b"Panama City minutes", access="group",
                     group_id=group.id, title="Minutes")
    outsider, insider = client_as(member), client_as(coordinator)
    for url in (f"/library/{document.id}", f"/library/{document.id}/download",
                f"/library/{document.id}/versions/1/download", f"/library/{document.id}/edit"):
        assert outsider.get(url).status_code == 404
    assert insider.get(f"/library/{document.id}").status_code == 200
    assert insider.get(f"/library/{document.id}/edit").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, member, share, pdf_bytes):
    document = share(member, "inventory.pdf", pdf_bytes)
    response = client.get(f"/library/{document.id}/download")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_editions_and_versions_on_the_document_page(client_as, member, share, pdf_bytes):
    english = share(member, "pen-en.pdf", pdf_bytes, title="PEN magazine no. 1",
                    doc_type="magazine")
    client = client_as(member)
    for language, title in (("fr", "Magazine du PEN no 1"), ("ar", "مجلة الشبكة العدد ١")):  # noqa: RUF001 - on purpose
        data = {"language": language, "title": title, "description": "",
                "file": (io.BytesIO(samples.make_docx([title])), f"pen-{language}.docx")}
        response = client.post(f"/library/{english.id}/editions/new", data=data,
                               content_type="multipart/form-data")
        assert response.status_code == 302
    data = {"note": "Corrected page 4", "file": (io.BytesIO(samples.make_pdf(["v2"])), "v2.pdf")}
    assert client.post(f"/library/{english.id}/versions/new", data=data,
                       content_type="multipart/form-data").status_code == 302
    page = client.get(f"/library/{english.id}").get_data(as_text=True)
    assert "Also in:" in page and "Français" in page and "العربية" in page
    assert "Version 2" in page and "Version 1" in page and "Corrected page 4" in page
    old = client.get(f"/library/{english.id}/versions/1/download")
    assert old.status_code == 200 and old.data == pdf_bytes
    assert client.get(f"/library/{english.id}/download").data != pdf_bytes


def test_home_lists_newest_with_facets_and_searches(client_as, member, share, extract, topics):
    share(member, "a.txt", b"askarel drums in storage", title="Storage report",
          topic_ids=[topics[1].id])
    share(member, "b.txt", b"transformer maintenance", title="Maintenance guide",
          doc_type="guideline")
    extract()
    client = client_as(member)
    home = client.get("/library/").get_data(as_text=True)
    assert "Newest documents" in home and home.index("Maintenance guide") < home.index(
        "Storage report")
    assert "Decontamination" in home and "Guideline" in home
    found = client.get("/library/?q=askarel").get_data(as_text=True)
    assert "<mark>askarel</mark>" in found and "Maintenance guide" not in found
    filtered = client.get("/library/?doc_type=guideline").get_data(as_text=True)
    assert "Maintenance guide" in filtered and "Storage report" not in filtered


def test_edit_form_changes_metadata(client_as, member, share, pdf_bytes):
    document = share(member, "inventory.pdf", pdf_bytes)
    client = client_as(member)
    form = client.get(f"/library/{document.id}/edit").get_data(as_text=True)
    assert 'value="PCB inventory of Viet Nam"' in form
    data = upload_form(title="National PCB inventory, Viet Nam", year="2010")
    assert client.post(f"/library/{document.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Document, document.id).title == "National PCB inventory, Viet Nam"


def test_extraction_failure_is_shown_on_the_page(client_as, member, extract):
    document = service.upload(member, meta(), "notes.txt", io.BytesIO(b"x"))
    document.current.extraction, document.current.extraction_error = "failed", "the file is odd"
    db.session.commit()
    page = client_as(member).get(f"/library/{document.id}").get_data(as_text=True)
    assert "could not be extracted: the file is odd" in page


def test_a_file_name_with_folders_is_refused_beside_the_file_field(client_as, member):
    client = client_as(member)
    data = upload_form(file=(io.BytesIO(samples.make_pdf(["x"])), "../../etc/report.pdf"))
    response = client.post("/library/upload", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="file-error"[^>]*>[^<]*not a plain file name', page)
    assert 'value="Guidelines for PCB inventories"' in page


def test_unified_search_lists_library_hits_only_to_those_who_may_open(client_as, member, admin,
                                                                    share, extract):
    share(member, "open.txt", b"askarel drums in Hai Phong", title="Storage in Hai Phong")
    share(admin, "closed.txt", b"askarel seizure", title="Seizure report", access="admins")
    extract()
    page = client_as(member).get("/search?q=askarel").get_data(as_text=True)
    assert "Storage in Hai Phong" in page and "Seizure report" not in page
    assert "/library/?q=askarel" in page
