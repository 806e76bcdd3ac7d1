"""Download my data: requested by the member, prepared by the worker, a link by mail."""

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import select

from pen import worker
from pen.auth.system import SYSTEM
from pen.errors import ValidationError
from pen.extensions import db
from pen.forums import service as forums
from pen.forums.posting import Upload
from pen.mail import MailMessage
from pen.members import designations
from pen.members import service as members
from pen.privacy import exports
from pen.privacy.models import DataExport

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def writer(member):
    """The member with a bio, a designation request and a post with a file."""
    profile = members.profile_of(member)
    profile.bio, profile.country = "I inventory transformers.", "VN"
    db.session.commit()
    designations.request_designation(member, "nfp", "VN", "Named by the Ministry.")
    category = forums.create_category(SYSTEM, "PCB inventories")
    forums.create_topic(member, category, "Oil sampling", "How do you **sample**?",
                        uploads=[Upload("plan.pdf", PDF)])
    return member


def link_in_mail(address: str) -> str:
    """The download link of the last message to ``address``."""
    message = db.session.scalar(select(MailMessage).where(MailMessage.to_addr == address)
                                .order_by(MailMessage.id.desc()))
    return re.search(r"http://pen\.test(/privacy/my-data/\S+)", message.body_text).group(1)


def test_the_member_gets_a_zip_of_their_data_by_a_mailed_link(app, writer, member_client):
    response = member_client.post("/privacy/my-data")
    assert response.status_code == 302
    assert "being prepared" in member_client.get("/privacy/my-data").get_data(as_text=True)
    assert exports.prepare() == 1  # the worker's task
    path = link_in_mail(writer.email)
    download = member_client.get(path)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == writer.email
    assert data["profile"]["bio"] == "I inventory transformers."
    assert data["designations"]["requests"][0]["justification"] == "Named by the Ministry."
    assert data["forum_posts"][0]["body"] == "How do you **sample**?"
    name = data["forum_posts"][0]["attachments"][0]
    assert archive.read(f"files/forum_posts/{name}") == PDF
    assert data["files_missing"] == []


def test_the_link_opens_for_no_one_else_and_not_once_expired(app, writer, member_client,
                                                             make_user, client_as):
    exports.request_export(writer)
    exports.prepare()
    path = link_in_mail(writer.email)
    assert client_as(make_user()).get(path).status_code == 404
    assert member_client.get(path.rstrip("x") + "x").status_code == 404
    found = db.session.scalar(select(DataExport))
    found.expires_at = found.ready_at
    db.session.commit()
    assert member_client.get(path).status_code == 404


def test_one_export_at_a_time_and_the_worker_runs_it(app, writer):
    exports.request_export(writer)
    with pytest.raises(ValidationError, match="already being prepared"):
        exports.request_export(writer)
    db.session.rollback()
    assert worker.run_pass()["data exports"] == 1
    assert db.session.scalar(select(DataExport)).status == "ready"
