"""Attachments: checked by content, limited in size, served only to who may see the post."""

import io
import zipfile

import pytest
from sqlalchemy import func, select

from pen import files
from pen.errors import ValidationError
from pen.extensions import db
from pen.forums import service
from pen.forums.models import Attachment, Post
from pen.forums.posting import Upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name,data,kind", [
    ("report.pdf", PDF, "pdf"), ("photo.PNG", PNG, "png"), ("minutes.docx", docx_bytes(), "docx"),
    ("old.doc", files.OLE_MAGIC + b"\x00" * 100, "doc"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
])
def test_real_files_are_accepted(app, name, data, kind):
    assert files.check_upload(name, data, 2**20).kind == kind


@pytest.mark.parametrize("name,data,reason", [
    ("report.pdf", HTML, "not really a PDF"),
    ("minutes.docx", b"PK\x03\x04not a zip", "not really a DOCX"),
    ("sheet.xlsx", docx_bytes(), "not really a XLSX"),
    ("page.html", HTML, "not a type of file accepted"),
    ("script.exe", b"MZ\x90\x00", "not a type of file accepted"),
    ("empty.pdf", b"", "is empty"),
])
def test_files_that_are_not_what_they_say_are_refused(app, name, data, reason):
    with pytest.raises(files.UploadRefused, match=reason):
        files.check_upload(name, data, 2**20)


def test_safe_filename():
    assert files.safe_filename("../../etc/pass\x00wd") == "passwd"
    assert files.safe_filename('C:\\Users\\x\\"report".pdf') == "report.pdf"
    assert files.safe_filename("...") == "file"


def test_html_named_report_pdf_is_refused_with_the_reason_in_the_form(topic, member,
                                                                      client_as, app):
    client = client_as(member)
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "The lab report", "submit": "1",
        "attachments": [(io.BytesIO(HTML), "report.pdf")]}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "report.pdf is not really a PDF file" in html and "The lab report" in html
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1
    assert not list((files.upload_dir("forums")).iterdir())  # nothing half-written stays


def test_size_limit_is_configurable(topic, member, app):
    app.config["FORUM_ATTACHMENT_MAX_MB"] = 0.001
    with pytest.raises(ValidationError, match="larger than"):
        service.reply(member, topic, "Big", [Upload("big.pdf", PDF + b"0" * 2000)])


def test_attachments_are_served_with_safe_headers(topic, member, client_as):
    client = client_as(member)
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "Lab report and a photo of the nameplate", "submit": "1",
        "attachments": [(io.BytesIO(PDF), "lab report.pdf"), (io.BytesIO(PNG), "plate.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    pdf, png = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert pdf.stored_name != "lab report.pdf" and pdf.stored_name.endswith(".pdf")
    html = client.get(f"/forums/t/{topic.id}").get_data(as_text=True)
    assert f"/forums/attachments/{pdf.id}/" in html
    assert f'<img src="/forums/attachments/{png.id}' in html
    download = client.get(f"/forums/attachments/{pdf.id}/{pdf.filename}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    image = client.get(f"/forums/attachments/{png.id}/plate.png")
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["Content-Disposition"].startswith("inline")


def test_download_from_a_topic_the_member_cannot_see_is_404(category, author, admin, member,
                                                           client_as):
    secret = service.create_topic(admin, category, "Group minutes", "Minutes attached",
                                  [Upload("minutes.pdf", PDF)], group_id=4)
    attachment = db.session.scalar(select(Attachment))
    url = f"/forums/attachments/{attachment.id}/minutes.pdf"
    assert client_as(member).get(url).status_code == 404
    assert client_as(admin).get(url).status_code == 200
    assert secret.group_id == 4


def test_download_of_a_deleted_post_attachment_is_404_for_members(topic, member, make_user,
                                                                 client_as):
    reply = service.reply(member, topic, "Wrong file", [Upload("wrong.pdf", PDF)])
    service.delete_post(member, reply)
    attachment = db.session.scalar(select(Attachment))
    assert client_as(make_user()).get(
        f"/forums/attachments/{attachment.id}/wrong.pdf").status_code == 404


def test_too_many_files(topic, member, app):
    uploads = [Upload(f"f{i}.pdf", PDF) for i in range(app.config["FORUM_ATTACHMENTS_PER_POST"]
                                                         + 1)]
    with pytest.raises(ValidationError, match="at most"):
        service.reply(member, topic, "Many", uploads)
