"""The mail outbox: queued in the caller's transaction, delivered by the worker with retry.

Delivery goes to a real SMTP server (aiosmtpd, see tests/smtp_server.py) or to
.eml files; nothing in smtplib is mocked.
"""

import re
import threading
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, update

from pen import mail
from pen.auth.models import PasswordResetToken, UserStatus
from pen.extensions import db
from pen.mail import MailMessage
from pen.types import utcnow
from tests.conftest import PASSWORD, login

pytest_plugins = ["tests.fixtures_mail"]

NEW_PASSWORD = "a brand new passphrase"


def run_worker(app) -> str:
    """``flask --app pen worker --once``; returns what it printed."""
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    return result.output


def rows() -> list[MailMessage]:
    """Every outbox row, read afresh (the worker ends the session it ran in)."""
    db.session.remove()
    return list(db.session.scalars(select(MailMessage).order_by(MailMessage.id)))


def row(message_id: int) -> MailMessage:
    """One outbox row, read afresh."""
    db.session.remove()
    return db.session.get(MailMessage, message_id)


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MailMessage))


def queued(to="lan.nguyen@example.org", subject="Welcome to PEN",
           text="Hello Lan,\n\nWelcome to the network.\n", html=None) -> int:
    """Queue one message, commit, return its id."""
    message = mail.queue(to, subject, text, html)
    db.session.commit()
    return message.id


def make_due(message_id: int) -> None:
    """Pretend the backoff has passed: the message is due now."""
    db.session.execute(update(MailMessage).where(MailMessage.id == message_id)
                       .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


# --- queue ------------------------------------------------------------------------------------


def test_queue_is_part_of_the_callers_transaction(app):
    mail.queue("lan.nguyen@example.org", "Rolled back", "Never sent.")
    db.session.rollback()
    assert outbox_count() == 0

    message_id = queued(subject="Committed")
    [message] = rows()
    assert message.id == message_id
    assert (message.subject, message.status, message.attempts) == ("Committed", "pending", 0)
    assert message.next_attempt_at <= utcnow()
    assert message.sent_at is None and message.last_error is None


def test_queue_does_not_commit_by_itself(app):
    mail.queue("lan.nguyen@example.org", "Pending", "Not yet.")
    db.session.flush()
    with db.engine.connect() as other:
        assert other.scalar(select(func.count()).select_from(MailMessage)) == 0
    db.session.commit()
    with db.engine.connect() as other:
        assert other.scalar(select(func.count()).select_from(MailMessage)) == 1


def test_queue_keeps_header_fields_deliverable(app, smtp_server):
    """A subject built from member text (line breaks, great length) must not break anything."""
    app.config["MAIL_URL"] = smtp_server.url
    long_title = "PCB inventories " * 40
    message_id = queued(subject=f"New topic:\r\n{long_title}\nBcc: victim@example.org")
    assert "sent" in run_worker(app)
    message = row(message_id)
    assert message.status == "sent"
    assert "\n" not in message.subject and "\r" not in message.subject
    assert len(message.subject) <= 300
    [received] = smtp_server.envelopes
    assert received.rcpt_tos == ["lan.nguyen@example.org"]
    assert received.message["Bcc"] is None


# --- delivery over SMTP -----------------------------------------------------------------------


def test_worker_delivers_over_smtp_once(smtp_app, smtp_server):
    message_id = queued(subject="Réunion du groupe PCB — ordre du jour",
                        text="Bonjour Lan,\n\nL'ordre du jour est en pièce jointe.\n")

    output = run_worker(smtp_app)

    assert "mail: 1 sent, 0 to retry, 0 failed" in output
    [received] = smtp_server.envelopes
    sender = smtp_app.config["MAIL_FROM"]
    assert received.mail_from == parseaddr(sender)[1]
    assert received.rcpt_tos == ["lan.nguyen@example.org"]
    message = received.message
    assert message["From"] == sender
    assert message["To"] == "lan.nguyen@example.org"
    assert message["Subject"] == "Réunion du groupe PCB — ordre du jour"
    assert message["Message-ID"]
    assert message.get_content() == "Bonjour Lan,\n\nL'ordre du jour est en pièce jointe.\n"

    sent = row(message_id)
    assert sent.status == "sent"
    assert sent.sent_at is not None and sent.sent_at <= utcnow()
    assert sent.claimed_until is None and sent.last_error is None

    run_worker(smtp_app)
    assert len(smtp_server.messages) == 1


def test_html_alternative_is_delivered_with_the_text(smtp_app, smtp_server):
    queued(text="Plain words.\n", html="<p>Plain <strong>words</strong>.</p>\n")
    run_worker(smtp_app)
    [message] = smtp_server.messages
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content() == "Plain words.\n"
    assert message.get_body(("html",)).get_content() == "<p>Plain <strong>words</strong>.</p>\n"


def test_worker_drains_more_than_one_batch(smtp_app, smtp_server):
    for number in range(5):
        mail.queue(f"member{number}@example.org", f"Message {number}", "Body.\n")
    db.session.commit()
    mail_ids = [message.id for message in rows()]
    db.session.remove()
    with smtp_app.app_context():
        first = mail.deliver_due(limit=2)
    assert first.sent == 2
    run_worker(smtp_app)
    assert sorted(m["To"] for m in smtp_server.messages) == [
        f"member{number}@example.org" for number in range(5)]
    assert {row(message_id).status for message_id in mail_ids} == {"sent"}


# --- delivery to files ------------------------------------------------------------------------


def test_without_mail_url_messages_are_written_as_eml_files(app):
    assert not app.config["MAIL_URL"]
    message_id = queued(subject="Votre compte PEN", text="Bienvenue, Lan.\n")

    assert "mail: 1 sent" in run_worker(app)

    directory = Path(app.config["DATA_DIR"]) / "mail"
    files = sorted(directory.iterdir())
    assert [path.suffix for path in files] == [".eml"], "one .eml and no temporary file"
    message = message_from_bytes(files[0].read_bytes(), policy=default_policy)
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["To"] == "lan.nguyen@example.org"
    assert message["Subject"] == "Votre compte PEN"
    assert message.get_content() == "Bienvenue, Lan.\n"
    assert row(message_id).status == "sent"

    run_worker(app)
    assert len(list(directory.iterdir())) == 1


# --- failures and retries ---------------------------------------------------------------------


def test_refused_message_backs_off_and_finally_fails(smtp_app, smtp_server):
    smtp_server.refuse("451 try again later")
    message_id = queued()
    max_attempts = int(smtp_app.config["MAIL_MAX_ATTEMPTS"])
    assert max_attempts > 2

    before = utcnow()
    assert "mail: 0 sent, 1 to retry, 0 failed" in run_worker(smtp_app)
    after = utcnow()
    message = row(message_id)
    assert (message.status, message.attempts) == ("pending", 1)
    assert "451" in message.last_error and "try again later" in message.last_error
    first_delay = timedelta(seconds=mail.BASE_BACKOFF_SECONDS)
    assert before + first_delay <= message.next_attempt_at <= after + first_delay
    assert message.claimed_until is None
    assert smtp_server.refused == 1

    # Right away, it is not due: nothing is tried.
    assert "mail: 0 sent, 0 to retry, 0 failed" in run_worker(smtp_app)
    assert smtp_server.refused == 1
    assert row(message_id).attempts == 1

    for attempt in range(2, max_attempts + 1):
        make_due(message_id)
        before = utcnow()
        run_worker(smtp_app)
        after = utcnow()
        message = row(message_id)
        assert message.attempts == attempt
        assert smtp_server.refused == attempt
        if attempt < max_attempts:
            assert message.status == "pending"
            delay = min(first_delay * 2 ** (attempt - 1), mail.MAX_BACKOFF)
            assert before + delay <= message.next_attempt_at <= after + delay
    assert message.status == "failed"
    assert "451" in message.last_error

    # Failed is final: even due and with the server accepting again, it is not resent.
    smtp_server.accept()
    make_due(message_id)
    run_worker(smtp_app)
    assert smtp_server.messages == []
    assert row(message_id).status == "failed"


def test_a_retry_that_succeeds_clears_the_error(smtp_app, smtp_server):
    smtp_server.refuse()
    message_id = queued()
    run_worker(smtp_app)
    assert row(message_id).last_error

    smtp_server.accept()
    make_due(message_id)
    run_worker(smtp_app)
    message = row(message_id)
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, None)
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize("at", ["RCPT", "DATA"])
def test_permanent_refusal_fails_at_once(smtp_app, smtp_server, at):
    """A 5xx answer will not change on retry: the message fails without an hour of retries."""
    smtp_server.refuse("550 no such mailbox here", at=at)
    message_id = queued()
    assert "mail: 0 sent, 0 to retry, 1 failed" in run_worker(smtp_app)
    message = row(message_id)
    assert (message.status, message.attempts) == ("failed", 1)
    assert "550" in message.last_error


def test_temporary_recipient_refusal_is_retried(smtp_app, smtp_server):
    smtp_server.refuse("450 mailbox busy", at="RCPT")
    message_id = queued()
    assert "mail: 0 sent, 1 to retry, 0 failed" in run_worker(smtp_app)
    message = row(message_id)
    assert (message.status, message.attempts) == ("pending", 1)
    assert "450" in message.last_error


def test_unreachable_server_is_an_error_on_the_row_not_a_crash(app, closed_port_url):
    app.config["MAIL_URL"] = closed_port_url
    message_id = queued()

    output = run_worker(app)

    assert "mail: 0 sent, 1 to retry, 0 failed" in output
    message = row(message_id)
    assert (message.status, message.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > utcnow()


def test_a_misconfigured_mail_url_fails_the_run_and_keeps_the_mail(app):
    app.config["MAIL_URL"] = "http://127.0.0.1:25"
    message_id = queued()
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 1
    assert "mail: error" in result.output
    assert "a worker task failed" in result.output
    message = row(message_id)
    assert (message.status, message.attempts) == ("pending", 0)


@pytest.mark.parametrize("to", ["not an address <<>>", "lan@", "@example.org", "",
                                "a@example.org, b@example.org",
                                "a@example.org\r\nBcc: victim@example.org"])
def test_an_invalid_recipient_fails_at_once_and_holds_up_nothing(smtp_app, smtp_server, to):
    bad = queued(to=to)
    good = queued(to="lan.nguyen@example.org")
    assert "mail: 1 sent, 0 to retry, 1 failed" in run_worker(smtp_app)
    assert row(good).status == "sent"
    assert (row(bad).status, row(bad).attempts) == ("failed", 1)
    assert "UndeliverableMessage" in row(bad).last_error
    assert [m["To"] for m in smtp_server.messages] == ["lan.nguyen@example.org"]


# --- claims: a message is never sent twice ----------------------------------------------------


def test_only_one_claim_of_a_message_succeeds(smtp_app, smtp_server):
    message_id = queued()
    assert mail._claim(message_id) is True
    assert mail._claim(message_id) is False

    # Another worker's pass skips what is claimed.
    assert not mail.deliver_due()
    assert smtp_server.messages == []

    # A claim left by a crashed worker expires, and the message goes out once.
    db.session.execute(update(MailMessage).where(MailMessage.id == message_id)
                       .values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert mail.deliver_due().sent == 1
    assert mail._claim(message_id) is False
    assert len(smtp_server.messages) == 1


def test_a_worker_with_a_stale_list_does_not_resend(smtp_app, smtp_server):
    message_id = queued()
    stale = mail._due_ids(10)  # worker B reads the due list...
    assert stale == [message_id]
    assert mail.deliver_due().sent == 1  # ...worker A sends the message meanwhile
    assert mail._claim(message_id) is False  # B's claim fails
    assert len(smtp_server.messages) == 1


def test_a_worker_with_a_stale_list_respects_the_backoff(smtp_app, smtp_server):
    smtp_server.refuse()
    message_id = queued()
    stale = mail._due_ids(10)  # worker B reads the due list...
    assert mail.deliver_due().retried == 1  # ...worker A tries and fails meanwhile
    assert stale == [message_id]
    assert mail._claim(message_id) is False  # B must not retry before the backoff
    assert smtp_server.refused == 1


def test_concurrent_workers_send_each_message_once(smtp_app, smtp_server):
    count = 30
    for number in range(count):
        mail.queue(f"member{number}@example.org", f"Message {number}", "Body.\n")
    db.session.commit()
    db.session.remove()
    start = threading.Barrier(3)
    errors = []

    def work():
        try:
            with smtp_app.app_context():
                start.wait()
                while mail.deliver_due(limit=5):
                    pass
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    received = sorted(m["To"] for m in smtp_server.messages)
    assert received == sorted(f"member{number}@example.org" for number in range(count))
    assert {message.status for message in rows()} == {"sent"}


# --- password reset end to end ----------------------------------------------------------------


def reset_link_from(message) -> str:
    """The path of the reset link in a received message."""
    match = re.search(r"https?://\S+/auth/reset/\S+", message.get_content())
    assert match, message.get_content()
    return urlsplit(match.group(0)).path


def request_reset_link(app, client, smtp_server, email: str) -> str:
    page = client.post("/auth/reset", data={"email": email})
    assert page.status_code == 200
    run_worker(app)
    [message] = smtp_server.messages
    smtp_server.reset()
    return reset_link_from(message)


def assert_link_no_longer_works(response) -> None:
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This link no longer works" in page
    assert re.search(r'<form[^>]*method="post"[^>]*action="/auth/reset"', page)
    assert 'name="email"' in page


def test_password_reset_over_smtp(smtp_app, client, make_user, smtp_server):
    user = make_user(email="lan.nguyen@example.org", name="Nguyen Thi Lan")
    email = user.email

    response = client.post("/auth/reset", data={"email": " Lan.Nguyen@Example.org"})
    assert response.status_code == 200
    assert "Check your inbox" in response.get_data(as_text=True)

    run_worker(smtp_app)
    [message] = smtp_server.messages
    assert message["To"] == email
    assert message["From"] == smtp_app.config["MAIL_FROM"]
    assert message["Subject"] == "Reset your PEN password"
    assert "Hello Nguyen Thi Lan," in message.get_content()
    link = reset_link_from(message)

    form = client.get(link)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert 'name="password"' in page and 'name="confirm"' in page

    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert urlsplit(done.headers["Location"]).path == "/auth/login"

    old = login(client, email, PASSWORD)
    assert old.status_code == 200
    assert "Wrong email or password" in old.get_data(as_text=True)
    assert login(client, email, NEW_PASSWORD).status_code == 302

    assert_link_no_longer_works(client.get(link))
    assert_link_no_longer_works(client.post(link, data={"password": "yet another passphrase",
                                                        "confirm": "yet another passphrase"}))


def test_mismatched_confirmation_keeps_the_link_usable(smtp_app, client, make_user, smtp_server):
    email = make_user().email
    link = request_reset_link(smtp_app, client, smtp_server, email)
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": "something else"})
    assert response.status_code == 200
    assert "The two passwords differ" in response.get_data(as_text=True)
    assert client.get(link).status_code == 200
    assert login(client, email, PASSWORD).status_code == 302


def test_expired_reset_link_no_longer_works(smtp_app, client, make_user, smtp_server):
    user = make_user()
    email = user.email
    link = request_reset_link(smtp_app, client, smtp_server, email)
    db.session.execute(update(PasswordResetToken)
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    assert_link_no_longer_works(client.get(link))
    assert_link_no_longer_works(client.post(link, data={"password": NEW_PASSWORD,
                                                        "confirm": NEW_PASSWORD}))
    assert login(client, email, NEW_PASSWORD).status_code == 200
    assert login(client, email, PASSWORD).status_code == 302


def test_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(
        smtp_app, client, make_user, smtp_server):
    make_user(email="lan.nguyen@example.org")
    known = client.post("/auth/reset", data={"email": "lan.nguyen@example.org"})
    unknown = client.post("/auth/reset", data={"email": "nobody@example.org"})
    assert unknown.status_code == known.status_code == 200
    assert "Check your inbox" in unknown.get_data(as_text=True)
    assert (unknown.get_data(as_text=True).replace("nobody@example.org", "X")
            == known.get_data(as_text=True).replace("lan.nguyen@example.org", "X"))

    run_worker(smtp_app)
    assert [m["To"] for m in smtp_server.messages] == ["lan.nguyen@example.org"]
    assert outbox_count() == 1


def test_reset_for_a_suspended_account_sends_nothing(smtp_app, client, make_user, smtp_server):
    make_user(email="lan.nguyen@example.org", status=UserStatus.SUSPENDED)
    response = client.post("/auth/reset", data={"email": "lan.nguyen@example.org"})
    assert "Check your inbox" in response.get_data(as_text=True)
    run_worker(smtp_app)
    assert smtp_server.messages == []
