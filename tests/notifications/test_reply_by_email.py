"""Reply by email: a real SMTP client (smtplib) talks to the receiver, started on loopback.

Each bad input the issue names is refused with a reason, never posted, and the
receiver keeps answering: spoofed sender, someone else's or a revoked address,
a locked topic, a left conversation, a 30 MB mail, an HTML-only mail with a
script, automatic mail (loops), a forged address.
"""

import smtplib
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from pen import mail
from pen.audit import AuditEntry
from pen.extensions import db
from pen.forums import moderation, service
from pen.forums.models import Attachment, Post
from pen.mail import MailMessage
from pen.messages import service as messages
from pen.messages.models import Message
from pen.notifications import delivery, replies
from pen.notifications import service as notes
from pen.notifications.receiver import make_controller
from tests.notifications.test_mail_behaviour import dsn
from tests.smtp_server import free_port

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOMAIN = "reply.pen.test"


@pytest.fixture(params=["smtp"])
def receiver(app, request):
    """The receiver on a free loopback port; yields (port, protocol)."""
    app.config.update(REPLY_DOMAIN=DOMAIN, MAIL_BOUNCE_ADDRESS="bounces@pen.test")
    port = free_port()
    controller = make_controller(app, "127.0.0.1", port, lmtp=request.param == "lmtp")
    controller.start()
    yield port, request.param
    controller.stop()


def reply(sender: str, to: str, text: str = "Sealed glass vials work best.\n\n"
          "On Mon, Ana wrote:\n> Which kits?\n", subject: str = "Re: oil", **headers):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


def send(receiver, message, to: str, mail_from: str | None = None) -> tuple[int, str]:
    """Talk SMTP (or LMTP) to the receiver; the reply to RCPT if refused, else to DATA."""
    port, protocol = receiver
    client = (smtplib.LMTP if protocol == "lmtp" else smtplib.SMTP)("127.0.0.1", port)
    with client:
        client.ehlo_or_helo_if_needed() if protocol == "smtp" else client.ehlo()
        client.mail(mail_from if mail_from is not None else str(message["From"]))
        code, answer = client.rcpt(to)
        if code != 250:
            return code, answer.decode()
        code, answer = client.data(bytes(message))
        return code, answer.decode()


def posts(topic) -> list[str]:
    db.session.expire_all()
    return [p.body for p in db.session.scalars(select(Post).where(
        Post.topic_id == topic.id).order_by(Post.number))]


def refusals(user) -> list[str]:
    db.session.expire_all()
    return [m.body_text for m in db.session.scalars(select(MailMessage).where(
        MailMessage.to_addr == user.email, MailMessage.subject.startswith("Not posted")))]


@pytest.mark.parametrize("receiver", ["smtp", "lmtp"], indirect=True)
def test_a_reply_to_a_notification_becomes_a_post(smtp_app, smtp_server, receiver, topic,
                                                  member, author):
    service.reply(member, topic, "Which lab do you use?")
    delivery.deliver_immediate()
    mail.deliver_due()
    [notice] = smtp_server.messages
    address = str(notice["Reply-To"]).strip()
    assert address.startswith("reply+t") and address.endswith("@" + DOMAIN)
    assert str(notice["List-Unsubscribe"]).strip().startswith("<http")
    code, _ = send(receiver, reply(author.email, address), address)
    assert code == 250
    assert posts(topic)[-1] == "Sealed glass vials work best."  # quote cut off


def test_signatures_are_cut_and_good_attachments_kept(app, receiver, topic, author):
    address = replies.address_for(author, "forum_topic", topic.id)
    message = reply(author.email, address, "See the attached report.\n-- \nAna González\n")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="report.pdf")
    assert send(receiver, message, address)[0] == 250
    assert posts(topic)[-1] == "See the attached report."
    assert db.session.scalar(select(Attachment.filename)) == "report.pdf"


def test_a_conversation_reply_becomes_a_message_unless_one_left(app, receiver, author, member):
    talk = messages.start(member, [author], "Oil samples", "Ana, the results?")
    address = replies.address_for(author, "message_conversation", talk.id)
    assert address.startswith("reply+c")
    assert send(receiver, reply(author.email, address, "Attached tomorrow."), address)[0] == 250
    db.session.expire_all()
    assert db.session.scalars(select(Message.body).order_by(Message.id)).all()[-1] == (
        "Attached tomorrow.")
    messages.leave(author, db.session.get(type(talk), talk.id))
    assert send(receiver, reply(author.email, address, "One more thing"), address)[0] == 250
    db.session.expire_all()
    assert "One more thing" not in db.session.scalars(select(Message.body)).all()
    assert "You left this conversation" in refusals(author)[-1]


def test_a_spoofed_sender_is_refused_and_the_owner_told(app, receiver, topic, author, member):
    address = replies.address_for(author, "forum_topic", topic.id)
    code, answer = send(receiver, reply("mallory@evil.example", address, "Buy now"), address)
    assert code == 250 and "refused" in answer
    assert "Buy now" not in posts(topic)
    assert "mallory@evil.example" in refusals(author)[-1]
    assert db.session.scalar(select(MailMessage).where(
        MailMessage.to_addr == "mallory@evil.example")) is None  # no backscatter


def test_someone_elses_address_is_refused(app, receiver, topic, author, member):
    address = replies.address_for(author, "forum_topic", topic.id)
    send(receiver, reply(member.email, address, "Posting as Ana"), address)
    assert "Posting as Ana" not in posts(topic)
    assert refusals(author) and not refusals(member)


def test_a_revoked_address_is_refused(app, receiver, topic, author):
    address = replies.address_for(author, "forum_topic", topic.id)
    replies.revoke(author)
    send(receiver, reply(author.email, address, "Too late"), address)
    assert "Too late" not in posts(topic)
    assert "revoked" in refusals(author)[-1]


def test_forged_or_altered_addresses_are_refused_at_rcpt(app, receiver, topic, author, member):
    address = replies.address_for(author, "forum_topic", topic.id)
    other_user = address.replace(f".{author.id}.", f".{member.id}.", 1)
    for forged in (other_user, f"reply+t{topic.id}.1.0.{'0' * 20}@{DOMAIN}",
                   "postmaster@" + DOMAIN):
        code, answer = send(receiver, reply(author.email, forged, "Forged"), forged)
        assert code == 550 and "not valid" in answer
    assert "Forged" not in posts(topic)


def test_a_locked_topic_takes_no_reply(app, receiver, topic, author, moderator):
    moderation.set_locked(moderator, topic, True)
    address = replies.address_for(author, "forum_topic", topic.id)
    send(receiver, reply(author.email, address, "Still want to say"), address)
    assert "Still want to say" not in posts(topic)
    assert "is locked" in refusals(author)[-1]


def test_a_30_mb_mail_is_refused_and_the_receiver_goes_on(app, receiver, topic, author):
    address = replies.address_for(author, "forum_topic", topic.id)
    big = reply(author.email, address, "Huge")
    big.add_attachment(b"%PDF-1.4\n" + b"0" * (30 * 2**20), maintype="application",
                       subtype="pdf", filename="huge.pdf")
    with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as refused:
        port, _ = receiver
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.sendmail(author.email, [address], bytes(big))
    assert refused.value.smtp_code == 552
    assert "Huge" not in posts(topic)
    assert send(receiver, reply(author.email, address, "Small one"), address)[0] == 250
    assert posts(topic)[-1] == "Small one"


def test_an_html_only_mail_with_script_is_refused(app, receiver, topic, author):
    address = replies.address_for(author, "forum_topic", topic.id)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = author.email, address, "Re"
    message.set_content("<p>Hi<script>alert(document.cookie)</script></p>", subtype="html")
    send(receiver, message, address)
    assert not any("script" in body or body == "Hi" for body in posts(topic))
    assert "no plain-text version" in refusals(author)[-1]


@pytest.mark.parametrize("headers", [{"Auto_Submitted": "auto-replied"},
                                     {"Precedence": "bulk"}, {"Precedence": "junk"}])
def test_automatic_mail_is_neither_posted_nor_answered(app, receiver, topic, author, headers):
    address = replies.address_for(author, "forum_topic", topic.id)
    code, _ = send(receiver, reply(author.email, address, "I am out of office", **headers),
                   address)
    assert code == 250
    assert "I am out of office" not in posts(topic) and refusals(author) == []
    reasons = db.session.scalars(select(AuditEntry.detail).where(
        AuditEntry.action == "mail.reply_refused")).all()
    assert reasons and "automatic" in reasons[-1]["reason"]


def test_a_bad_attachment_is_refused_with_its_reason(app, receiver, topic, author):
    address = replies.address_for(author, "forum_topic", topic.id)
    message = reply(author.email, address, "My report")
    message.add_attachment(b"<html><script>x()</script></html>", maintype="application",
                           subtype="pdf", filename="report.pdf")
    send(receiver, message, address)
    assert "My report" not in posts(topic)
    assert "not really a PDF" in refusals(author)[-1]


def test_delivery_reports_mark_bouncing_and_are_never_answered(app, receiver, author):
    data = dsn(author.email)
    port, _ = receiver
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.ehlo()
        client.mail("")
        assert client.rcpt("bounces@pen.test")[0] == 250
        assert client.data(data)[0] == 250
    db.session.expire_all()
    assert mail.is_bouncing(author.email)
    assert db.session.scalar(select(db.func.count(MailMessage.id))) == 0


def test_digests_carry_a_reply_address_per_topic_or_conversation(smtp_app, smtp_server, topic,
                                                                member, author):
    smtp_app.config["REPLY_DOMAIN"] = DOMAIN
    notes.set_email_mode(author, "digest")
    service.reply(member, topic, "An answer for the digest")
    messages.start(member, [author], "A word in private", "Hello Ana")
    delivery.send_digests()
    mail.deliver_due()
    [digest] = smtp_server.messages
    body = digest.get_content()
    assert f"reply+t{topic.id}." in body and "reply+c" in body
    assert digest["Reply-To"] is None  # one digest, many targets: the addresses are inline
