"""Conversations: starting, reading, writing, adding, leaving; only participants see them."""

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import select

from pen import mail
from pen.errors import NotFound, ValidationError
from pen.extensions import db
from pen.messages import reading, service
from pen.messages.models import Message, MessageAttachment
from pen.messages.writing import Upload
from pen.notifications import delivery
from pen.notifications import service as notes
from pen.notifications.models import Notification
from pen.privacy import exports
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def page(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_start_from_a_profile_link_and_read(ana, ben, client_as):
    client = client_as(ana)
    status, html = page(client, f"/messages/new?to={ben.id}")
    assert status == 200 and "Ben Okafor" in html
    response = client.post(f"/messages/new?to={ben.id}", data={
        "subject": "Capacitor inventory", "body": "Can we compare *notes*? <script>x()</script>",
        "others": ""})
    assert response.status_code == 302
    status, html = page(client_as(ben), response.headers["Location"])
    assert status == 200 and "Capacitor inventory" in html and "<em>notes</em>" in html
    assert "<script>x()" not in html


def test_profile_directory_and_post_offer_a_message(ana, ben, client_as):
    client = client_as(ana)
    assert f"/messages/new?to={ben.id}" in page(client, f"/members/{ben.id}")[1]
    assert f"/messages/new?to={ben.id}" in page(client, "/members/")[1]


def test_outsiders_and_administrators_get_404(talk, cleo, admin, client_as):
    message = db.session.scalar(select(Message))
    for outsider in (cleo, admin):
        client = client_as(outsider)
        assert client.get(f"/messages/{talk.id}").status_code == 404
        assert client.get(f"/messages/m/{message.id}").status_code == 404
        assert client.post(f"/messages/{talk.id}/send", data={"body": "hi"}).status_code == 404
        assert "Oil samples" not in page(client, "/messages/")[1]
    with pytest.raises(NotFound):
        service.send(cleo, talk, "Let me in")


def test_list_latest_first_with_unread_marked(ana, ben, cleo, talk, client_as):
    later = service.start(cleo, [ben], "Awards nomination", "Shall we nominate Dakar?")
    client = client_as(ben)
    html = page(client, "/messages/")[1]
    assert html.index("Awards nomination") < html.index("Oil samples")
    assert reading.unread_ids(ben, [talk.id, later.id]) == {talk.id, later.id}
    assert reading.unread_count(ben) == 2
    page(client, f"/messages/{talk.id}")
    assert reading.unread_ids(ben, [talk.id, later.id]) == {later.id}
    service.send(ana, talk, "And the capacitors?")
    html = page(client, "/messages/")[1]
    assert html.index("Oil samples") < html.index("Awards nomination")
    assert reading.unread_count(ben) == 2 and reading.unread_count(ana) == 0


def test_a_bad_attachment_is_refused_with_its_reason_and_the_text_kept(talk, ben, client_as):
    client = client_as(ben)
    response = client.post(f"/messages/{talk.id}/send", data={
        "body": "My draft report, attached.", "attachments": [(__import__("io").BytesIO(HTML),
                                                                "report.pdf")]},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "not really a PDF" in html
    assert "My draft report, attached." in html
    assert db.session.scalar(select(db.func.count(Message.id))) == 1


def test_attachments_are_served_to_participants_only(talk, ana, ben, cleo, client_as):
    service.send(ben, talk, "The report", [Upload("report.pdf", PDF)])
    found = db.session.scalar(select(MessageAttachment))
    url = f"/messages/attachments/{found.id}/report.pdf"
    assert client_as(ana).get(url).data == PDF
    assert client_as(cleo).get(url).status_code == 404


def test_leaving_hides_the_conversation_and_stops_notifications(talk, ana, ben, client_as):
    client = client_as(ben)
    assert client.post(f"/messages/{talk.id}/leave",
                       data={"confirmed": "1"}).status_code == 302
    assert client.get(f"/messages/{talk.id}").status_code == 404
    assert "Oil samples" not in page(client, "/messages/")[1]
    db.session.expire_all()  # the leave was another request's
    before = db.session.scalar(select(db.func.count(Notification.id)).where(
        Notification.user_id == ben.id))
    service.send(ana, talk, "Still there?")
    after = db.session.scalar(select(db.func.count(Notification.id)).where(
        Notification.user_id == ben.id))
    assert after == before
    assert notes.unread_count(ben) == 0  # the old one is about what he left


def test_an_added_participant_sees_the_whole_history(talk, ana, cleo, client_as):
    response = client_as(ana).post(f"/messages/{talk.id}/add", data={"member": "cléo martin"})
    assert response.status_code == 302
    db.session.expire_all()
    status, html = page(client_as(cleo), f"/messages/{talk.id}")
    assert status == 200 and "lab results" in html


def test_adding_an_unknown_name_keeps_the_form_and_says_why(talk, ana, client_as):
    response = client_as(ana).post(f"/messages/{talk.id}/add", data={"member": "Nobody Here"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "No single member is called: Nobody Here" in html


def test_the_size_of_a_conversation_is_limited(app, ana, make_user):
    app.config["MESSAGES_MAX_PARTICIPANTS"] = 3
    others = [make_user() for _ in range(3)]
    with pytest.raises(ValidationError, match="at most 3 participants"):
        service.start(ana, others, "Too many", "Hello all")
    talk = service.start(ana, others[:2], "Three", "Hello")
    with pytest.raises(ValidationError, match="at most 3 participants"):
        service.add_participant(ana, talk, others[2])


def test_new_messages_notify_and_email_as_each_member_chose(smtp_app, smtp_server, ana, ben,
                                                           cleo):
    notes.set_email_mode(cleo, "none")
    service.start(ana, [ben, cleo], "Oil samples", "Results are **in**.")
    assert {n.user_id for n in db.session.scalars(select(Notification))} == {ben.id, cleo.id}
    assert delivery.deliver_immediate().emailed == 1
    mail.deliver_due()
    [message] = smtp_server.messages
    assert message["To"] == ben.email and message["Subject"] == "Oil samples"
    assert "Results are" in message.get_content()


def test_digests_include_messages(smtp_app, smtp_server, ana, ben):
    notes.set_email_mode(ben, "digest")
    service.start(ana, [ben], "Quarterly inventory", "Numbers attached soon.")
    delivery.send_digests()
    mail.deliver_due()
    [message] = smtp_server.messages
    assert "Quarterly inventory" in message.get_content()


def test_search_finds_messages_for_participants_only(talk, ana, ben, cleo, client_as, indexed):
    indexed()
    assert "Oil samples" in page(client_as(ben), "/messages/search?q=transformers")[1]
    assert "Oil samples" not in page(client_as(cleo), "/messages/search?q=transformers")[1]
    assert "Oil samples" not in page(client_as(cleo), "/search?q=transformers")[1]
    service.leave(ben, talk)
    indexed()
    assert "Oil samples" not in page(client_as(ben), "/messages/search?q=transformers")[1]
    assert "Oil samples" in page(client_as(ana), "/search?q=transformers")[1]


def test_download_my_data_holds_my_messages_not_the_others(app, talk, ana, ben):
    service.send(ben, talk, "Ben's own words", [Upload("ben.pdf", PDF)])
    exports.request_export(ben)
    exports.prepare()
    body = db.session.scalar(select(mail.MailMessage.body_text).where(
        mail.MailMessage.to_addr == ben.email, mail.MailMessage.body_text.contains("my-data")))
    path = re.search(r"http://pen\.test(/privacy/my-data/\S+)", body).group(1)
    client = app.test_client()
    login(client, ben.email)
    archive = zipfile.ZipFile(io.BytesIO(client.get(path).data))
    data = json.loads(archive.read("data.json"))
    assert [m["body"] for m in data["messages"]] == ["Ben's own words"]
    assert archive.read(f"files/messages/{data['messages'][0]['attachments'][0]}") == PDF
