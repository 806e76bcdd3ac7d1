"""Demo rollout: a test group, a regional cohort, past activations and one live invitation.

Called by the demo seed with the demo's own accounts; like it, it adds only what
is missing (a cohort that exists is left as someone may have edited it).
"""

from datetime import timedelta

from sqlalchemy import select

from ..auth import service as accounts
from ..auth.models import User, UserStatus
from ..errors import ValidationError
from ..extensions import db
from ..tokens import new_token
from ..types import utcnow
from . import cohorts, sending, service
from .access import SITE_MODE_KEY
from .models import Invitation, SiteSetting


def seed(system, test_group: list[str], invite: list[str]) -> None:
    """The demo's cohorts, site mode, activation history and invitations."""
    if db.session.get(SiteSetting, SITE_MODE_KEY) is None:
        service.set_site_mode(system, "open")
    if cohorts.test_group() is None:
        group = service.ensure_test_group()
        db.session.commit()
        service.add_members(system, group, " ".join(test_group))
    if cohorts.find_cohort("second-wave-africa") is None:
        service.add_region(system, service.create_cohort(system, "Second wave: Africa"),
                           "Africa")
    _history()
    _invite(system, invite)


def _history() -> None:
    """Past acceptances of the active demo members, a few a day, so the chart has a shape."""
    have = set(db.session.scalars(select(Invitation.user_id)))
    users = db.session.scalars(select(User).where(User.status == UserStatus.ACTIVE)
                               .order_by(User.id))
    now = utcnow()
    for index, user in enumerate(users):
        if user.id in have or "admin" in user.role_names:
            continue
        accepted = now - timedelta(days=20 - index % 18, hours=index)
        user.activated_at = accepted  # the feed lists new members by this moment
        db.session.add(Invitation(
            user=user, token_digest=new_token()[1], created_at=accepted - timedelta(days=2),
            last_sent_at=accepted - timedelta(days=2), expires_at=accepted + timedelta(days=28),
            accepted_at=accepted))
    db.session.commit()


def _invite(system, emails: list[str]) -> None:
    """A real invitation (in the outbox, then in the mail folder) for each invited demo account."""
    for email in emails:
        user = accounts.find_by_email(email)
        if user is None or user.status != UserStatus.INVITED or db.session.scalar(
                select(Invitation.id).where(Invitation.user_id == user.id)):
            continue
        try:
            sending.issue(None, user, system, utcnow())
        except ValidationError:  # no address for the link (production without SITE_URL)
            db.session.rollback()
            return
        db.session.commit()
