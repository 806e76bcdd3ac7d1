"""Fixtures of the rollout: invited members, cohorts, delivery and the links in the mail."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from pen import mail
from pen.auth import service as accounts
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.mail import MailMessage
from pen.members import service as members
from pen.onboarding import service
from pen.onboarding.models import CohortMember, Invitation
from pen.types import utcnow

LINK = re.compile(r"https?://[^\s<>\"]+/invite/[A-Za-z0-9_\-]{20,}")


@pytest.fixture
def invite_member(app):
    """An invited account (no password) with a profile: ``invite_member(test_group=True)``."""
    counter = iter(range(1, 10_000))

    def make(email=None, name=None, test_group=False, organisation="Ministry of Environment",
             country="KE", status=UserStatus.INVITED):
        number = next(counter)
        user = accounts.create_user(email or f"invited{number}@example.org",
                                    name or f"Invited Member {number}", None, status=status)
        profile = members.profile_of(user)
        profile.organisation, profile.country = organisation, country
        if test_group:
            db.session.add(CohortMember(cohort=service.ensure_test_group(), user=user))
        db.session.commit()
        return user

    return make


def make_all_due() -> None:
    """Pretend the throttle's spacing has passed: every waiting message is due now."""
    db.session.execute(update(MailMessage).where(MailMessage.status == "pending")
                       .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def deliver(limit: int = 1000) -> mail.DeliveryReport:
    """What the worker does once every throttled message is due."""
    make_all_due()
    report = mail.deliver_due(limit=limit)
    db.session.expire_all()
    return report


def links_by_recipient(smtp_server) -> dict[str, list[str]]:
    """Invitation links in the received mail, by recipient, in the order received."""
    found: dict[str, list[str]] = {}
    for message in smtp_server.messages:
        text = message.get_body(preferencelist=("plain",)).get_content()
        found.setdefault(message["To"], []).extend(LINK.findall(text))
    return found


def path_of(link: str) -> str:
    """The path of a link, for the test client."""
    return urlsplit(link).path


def invitation_of(user) -> Invitation:
    """The member's invitation, read afresh."""
    db.session.expire_all()
    return db.session.scalar(select(Invitation).where(Invitation.user_id == user.id))


@pytest.fixture
def refuse_recipients(smtp_server):
    """Make the SMTP server refuse (550 at RCPT) the addresses put in the returned set."""
    handler = smtp_server.handler
    refused: set[str] = set()
    accept = handler.handle_RCPT

    async def handle_RCPT(server, session, envelope, address, rcpt_options):
        if address.lower() in refused:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        return await accept(server, session, envelope, address, rcpt_options)

    handler.handle_RCPT = handle_RCPT
    yield refused
    del handler.handle_RCPT
