"""Bulk sending: the per-member report, the dry run, the throttle, and a mail server that fails."""

from datetime import timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from pen import mail
from pen.audit import AuditEntry
from pen.auth.models import UserStatus
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.mail import MailMessage
from pen.onboarding import sending, service
from pen.onboarding.models import CohortMember, Invitation
from pen.types import utcnow
from tests.onboarding.conftest import (
    deliver,
    invitation_of,
    links_by_recipient,
    path_of,
)
from tests.smtp_server import SMTPServer

pytest_plugins = ["tests.fixtures_mail"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def send_cli(app, *args):
    result = app.test_cli_runner().invoke(args=["invitations", "send", *args])
    return result


@pytest.fixture
def test_group(invite_member, make_user):
    """A test group of an invited, an active and a suspended member; plus one outside it."""
    people = {
        "invited": invite_member(email="ana@example.org", test_group=True),
        "active": make_user(email="lan@example.org"),
        "suspended": invite_member(email="tomasz@example.org", test_group=True,
                                   status=UserStatus.SUSPENDED),
        "outside": invite_member(email="kofi@example.org"),
    }
    group = service.ensure_test_group()
    db.session.add(CohortMember(cohort=group, user_id=people["active"].id))
    db.session.commit()
    return people


def test_dry_run_reports_each_member_and_saves_nothing(app, test_group):
    result = send_cli(app, "--cohort", "test-group", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "invited ana@example.org" in lines
    assert "skipped lan@example.org — already active" in lines
    assert "skipped tomasz@example.org — suspended" in lines
    assert not any("kofi" in line for line in lines)
    assert lines[-1] == ("Dry run, nothing sent: 1 invited, 2 skipped "
                         "(already active: 1; suspended: 1)")
    assert count(Invitation) == count(MailMessage) == 0
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action.like("invitation%"))) is None


def test_send_queues_one_invitation_and_a_second_run_skips_it(app, test_group):
    first = send_cli(app, "--cohort", "Test group")  # by name as well as by slug
    assert first.exit_code == 0, first.output
    assert "1 invited, 2 skipped" in first.output
    assert count(Invitation) == count(MailMessage) == 1
    second = send_cli(app, "--cohort", "test-group")
    assert "skipped ana@example.org — already invited, not yet accepted" in second.output
    assert "0 invited, 3 skipped" in second.output
    assert count(MailMessage) == 1
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count("invitation.send") == 1 and actions.count("invitations.send") == 2


def test_everyone_is_invited_once_whatever_their_cohorts(app, test_group):
    other = service.create_cohort(SYSTEM, "Africa")
    service.add_members(SYSTEM, other, "ana@example.org kofi@example.org")
    report = sending.send_invitations(SYSTEM, "all")
    assert [line.email for line in report.lines if line.outcome == "invited"] == [
        "ana@example.org", "kofi@example.org"]
    assert len({line.user_id for line in report.lines}) == len(report.lines)
    assert count(MailMessage) == 2


def test_an_unknown_cohort_is_refused(app, test_group):
    result = send_cli(app, "--cohort", "Atlantis")
    assert result.exit_code == 1 and "There is no cohort called “Atlantis”." in result.output


def test_sending_from_the_command_line_needs_the_site_address(app_factory, invite_member):
    app = app_factory(SERVER_NAME=None)
    with app.app_context():
        invite_member(email="ana@example.org")
        result = send_cli(app, "--cohort", "all")
        assert result.exit_code == 1 and "Set PEN_SITE_URL" in result.output
        assert count(MailMessage) == 0
        app.config["SITE_URL"] = "https://pen.example.org/"
        assert send_cli(app, "--cohort", "all").exit_code == 0
        body = db.session.scalar(select(MailMessage.body_text))
        assert "https://pen.example.org/invite/" in body


def test_admin_sends_from_the_rollout_page(admin_client, test_group):
    page = admin_client.post("/admin/rollout/send", data={"cohort": "test-group",
                                                          "dry_run": "y"}).get_data(as_text=True)
    assert "Dry run: nothing was sent" in page and count(MailMessage) == 0
    page = admin_client.post("/admin/rollout/send",
                             data={"cohort": "test-group"}).get_data(as_text=True)
    assert "1 invited, 2 skipped (already active: 1; suspended: 1)" in page
    assert "tomasz@example.org" in page and count(MailMessage) == 1


def test_invitations_are_spaced_by_the_throttle(app, invite_member):
    app.config["INVITATIONS_PER_MINUTE"] = 6  # one every ten seconds
    for number in range(4):
        invite_member(email=f"m{number}@example.org")
    before = utcnow()
    report = sending.send_invitations(SYSTEM, "all")
    times = list(db.session.scalars(select(MailMessage.next_attempt_at)
                                    .order_by(MailMessage.next_attempt_at)))
    assert before <= times[0] <= utcnow()
    assert [b - a for a, b in pairwise(times)] == [timedelta(seconds=10)] * 3
    assert (report.first_at, report.last_at) == (times[0], times[-1])
    invite_member(email="late@example.org")  # a second run continues after the first
    sending.send_invitations(SYSTEM, "all")
    late = db.session.scalar(select(func.max(MailMessage.next_attempt_at)))
    assert late == times[-1] + timedelta(seconds=10)
    assert mail.deliver_due().sent == 1  # the worker sends only what is due: nothing sleeps


def test_refused_recipients_fail_with_the_reason_and_resend_delivers_once(
        smtp_app, smtp_server, refuse_recipients, invite_member, admin_client):
    people = [invite_member(email=f"{name}@example.org") for name in ("ana", "bad", "kofi")]
    refuse_recipients.add("bad@example.org")
    sending.send_invitations(SYSTEM, "all")
    report = deliver()
    assert (report.sent, report.failed) == (2, 1)
    failed = invitation_of(people[1])
    assert failed.mail.status == "failed" and "550" in failed.mail.last_error
    page = admin_client.get("/admin/rollout/?state=failed").get_data(as_text=True)
    assert "bad@example.org" in page and "mailbox unavailable" in page
    assert "ana@example.org" not in page
    refuse_recipients.clear()
    response = admin_client.post(f"/admin/rollout/invitations/{failed.id}/resend")
    assert response.status_code == 302
    assert deliver().sent == 1
    received = [message["To"] for message in smtp_server.messages]
    assert sorted(received) == ["ana@example.org", "bad@example.org", "kofi@example.org"]
    assert invitation_of(people[1]).mail.status == "sent"
    assert sending.send_invitations(SYSTEM, "all").invited == 0  # nobody twice


def test_a_server_going_away_mid_run_loses_nothing_and_sends_nothing_twice(
        app, smtp_server, invite_member):
    people = [invite_member(email=f"member{n}@example.org") for n in range(6)]
    leaving = SMTPServer().start()
    app.config["MAIL_URL"] = leaving.url
    sending.send_invitations(SYSTEM, "all")
    assert deliver(limit=2).sent == 2
    leaving.stop()  # the server goes away with four invitations still to go
    report = deliver()
    assert (report.sent, report.retried) == (0, 4)
    waiting = [invitation_of(user) for user in people[2:]]
    assert all(i.mail.status == "pending" and "Connection" in i.mail.last_error for i in waiting)
    app.config["MAIL_URL"] = smtp_server.url  # the server is back
    assert deliver().sent == 4
    delivered = [e.rcpt_tos[0] for e in leaving.envelopes + smtp_server.envelopes]
    assert sorted(delivered) == sorted(user.email for user in people)
    assert deliver().sent == 0


def test_resend_to_all_pending_waits_a_day_between_sends(smtp_app, smtp_server, invite_member,
                                                         make_user):
    ana, kofi = invite_member(email="ana@example.org"), invite_member(email="kofi@example.org")
    sending.send_invitations(SYSTEM, "all")
    deliver()
    report = sending.resend_pending(SYSTEM)
    assert report.invited == 0 and report.skipped == {"recent": 2}
    old = invitation_of(ana)
    old_digest, old.last_sent_at = old.token_digest, utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    report = sending.resend_pending(SYSTEM)
    assert [(line.email, line.outcome) for line in report.lines] == [
        ("ana@example.org", "invited"), ("kofi@example.org", "skipped")]
    assert invitation_of(ana).token_digest != old_digest and invitation_of(ana).send_count == 2
    deliver()
    assert [m["To"] for m in smtp_server.messages].count("ana@example.org") == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "invitation.resend")) == 1
    assert kofi.status == UserStatus.INVITED


def test_only_the_newest_link_works_after_a_resend(smtp_app, smtp_server, client, invite_member):
    ana = invite_member(email="ana@example.org")
    sending.send_invitations(SYSTEM, "all")
    deliver()
    sending.resend(SYSTEM, invitation_of(ana))
    deliver()
    first, second = links_by_recipient(smtp_server)["ana@example.org"]
    assert client.get(path_of(first)).status_code == 410
    assert client.get(path_of(second)).status_code == 200


def test_revoking_cancels_unsent_mail_and_kills_the_link(smtp_app, smtp_server, admin_client,
                                                          invite_member, admin):
    ana = invite_member(email="ana@example.org")
    sending.send_invitations(SYSTEM, "all")
    invitation = invitation_of(ana)
    response = admin_client.post(f"/admin/rollout/invitations/{invitation.id}/revoke",
                                 data={"confirmed": "1"})
    assert response.status_code == 302
    assert invitation_of(ana).mail.status == "cancelled"
    assert deliver().sent == 0 and smtp_server.messages == []
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "invitation.revoke"))
    assert entry.actor_id == admin.id and entry.target_id == str(ana.id)
    assert sending.send_invitations(SYSTEM, "all").skipped == {"revoked": 1, "active": 1}
    sending.resend(SYSTEM, invitation_of(ana))  # an explicit resend brings it back
    assert deliver().sent == 1 and invitation_of(ana).revoked_at is None


def test_expired_and_failed_invitations_are_sent_again_by_a_new_run(app, invite_member):
    ana, kofi = invite_member(email="ana@example.org"), invite_member(email="kofi@example.org")
    sending.send_invitations(SYSTEM, "all")
    expired, failed = invitation_of(ana), invitation_of(kofi)
    expired.expires_at, failed.mail.status = utcnow() - timedelta(days=1), "failed"
    db.session.commit()
    report = sending.send_invitations(SYSTEM, "all")
    assert sorted(str(line) for line in report.lines) == [
        "invited ana@example.org — again: the last one had expired",
        "invited kofi@example.org — again: the last one could not be delivered"]


def test_resending_an_accepted_or_suspended_invitation_is_refused(app, invite_member):
    ana = invite_member(email="ana@example.org")
    sending.send_invitations(SYSTEM, "all")
    ana.status = UserStatus.SUSPENDED
    db.session.commit()
    with pytest.raises(sending.ValidationError, match="suspended"):
        sending.resend(SYSTEM, invitation_of(ana))
    invitation_of(ana).accepted_at = utcnow()
    db.session.commit()
    with pytest.raises(sending.ValidationError, match="already joined"):
        sending.resend(SYSTEM, invitation_of(ana))


def test_only_admins_send(member, invite_member):
    with pytest.raises(sending.Forbidden):
        sending.send_invitations(member, "all")
