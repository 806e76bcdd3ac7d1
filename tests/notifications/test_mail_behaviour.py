"""Mail that behaves: one-click unsubscribe (RFC 8058), bounces (RFC 3464) and silence
towards a bouncing address until the member fixes it."""

from urllib.parse import urlsplit

from pen import mail
from pen.extensions import db
from pen.forums import service
from pen.notifications import delivery
from pen.notifications import service as notes

DSN = """\
From: MAILER-DAEMON@mx.example.org
To: bounces@pen.example
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; {address}
Original-Recipient: rfc822; {address}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 <{address}>: Recipient address rejected: User unknown

--B
Content-Type: message/rfc822

From: PEN <no-reply@pen.example>
Subject: A reply

--B--
"""


def dsn(address: str, action: str = "failed", status: str = "5.1.1") -> bytes:
    return DSN.format(address=address, action=action, status=status).replace(
        "\n", "\r\n").encode()


def unsubscribe_path(message) -> str:
    return urlsplit(str(message["List-Unsubscribe"]).strip().strip("<>")).path


def test_notification_mail_carries_one_click_unsubscribe(smtp_app, smtp_server, topic,
                                                         member, author, client):
    service.reply(member, topic, "Sealed glass vials.")
    delivery.deliver_immediate()
    mail.deliver_due()
    [message] = smtp_server.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe_path(message)
    assert client.get(path).status_code == 200  # a link checker's GET changes nothing
    assert notes.email_mode(author) == "immediate"
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})  # no login, no token
    assert response.status_code == 200 and "no longer receive" in response.get_data(as_text=True)
    db.session.expire_all()
    assert notes.email_mode(author) == "none"


def test_digest_mail_carries_it_too_and_forged_tokens_are_refused(smtp_app, smtp_server,
                                                                  topic, member, author, client):
    notes.set_email_mode(author, "digest")
    service.reply(member, topic, "An answer")
    delivery.send_digests()
    mail.deliver_due()
    [message] = smtp_server.messages
    assert str(message["List-Unsubscribe"]).strip().startswith("<http://pen.test/notifications/unsubscribe/")
    assert client.post(unsubscribe_path(message) + "x").status_code == 404
    assert client.post("/notifications/unsubscribe/1").status_code == 404


def test_a_bounce_marks_the_address_and_stops_mail_until_the_member_confirms(
        smtp_app, smtp_server, topic, member, author, admin, client_as):
    result = smtp_app.test_cli_runner().invoke(args=["mail", "bounce"], input=dsn(author.email))
    assert result.exit_code == 0 and author.email in result.output
    assert mail.is_bouncing(author.email.upper())
    service.reply(member, topic, "Nobody will mail this")
    delivery.deliver_immediate()
    assert mail.deliver_due().sent == 0 and smtp_server.messages == []
    html = client_as(admin).get("/admin/mail/bouncing").get_data(as_text=True)
    assert author.email in html and "5.1.1" in html and author.display_name in html
    author_client = client_as(author)
    assert "comes back undelivered" in author_client.get(
        "/notifications/settings").get_data(as_text=True)
    assert author_client.post("/notifications/settings/address").status_code == 302
    db.session.expire_all()
    assert not mail.is_bouncing(author.email)
    service.reply(member, topic, "Now it arrives")
    delivery.deliver_immediate()
    assert mail.deliver_due().sent == 1


def test_delays_and_ordinary_mail_mark_nothing(smtp_app, author):
    runner = smtp_app.test_cli_runner()
    runner.invoke(args=["mail", "bounce"], input=dsn(author.email, "delayed", "4.4.1"))
    runner.invoke(args=["mail", "bounce"], input=b"From: a@b.org\r\nSubject: hi\r\n\r\nHello\r\n")
    assert not mail.is_bouncing(author.email)


def test_administrators_can_clear_a_bouncing_address(app, author, admin, client_as):
    mail.mark_bouncing(author.email, "5.1.1")
    db.session.commit()
    client = client_as(admin)
    assert client.post("/admin/mail/bouncing/clear",
                       data={"address": author.email}).status_code == 302
    db.session.expire_all()
    assert not mail.is_bouncing(author.email)


def test_the_envelope_sender_is_the_bounce_address(smtp_app, smtp_server, author):
    smtp_app.config["MAIL_BOUNCE_ADDRESS"] = "bounces@pen.example"
    mail.queue(author.email, "Hello", "Text")
    db.session.commit()
    mail.deliver_due()
    assert smtp_server.envelopes[0].mail_from == "bounces@pen.example"
