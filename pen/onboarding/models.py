"""Site settings, cohorts and invitations.

An invitation's state (queued, sent, failed, accepted, expired, revoked) is not
stored: ``state_expression`` derives it in SQL from the invitation and its
outbox message, so counts, filters and pages all agree and cost one query.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, case
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from ..auth.models import User
from ..extensions import db
from ..mail import MailMessage
from ..types import UTCDateTime, utcnow

TEST_GROUP_SLUG = "test-group"

QUEUED, SENT, FAILED, ACCEPTED, EXPIRED, REVOKED = (
    "queued", "sent", "failed", "accepted", "expired", "revoked")
STATES = (QUEUED, SENT, FAILED, ACCEPTED, EXPIRED, REVOKED)
#: States in which the member has not joined and the invitation may be sent again.
PENDING_STATES = (SENT, FAILED, EXPIRED)


class SiteSetting(db.Model):
    """One site-wide setting that every process reads from the database (the site mode)."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Cohort(db.Model):
    """A named set of members invited together: the test group, a region…"""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_test_group(self) -> bool:
        """The well-known cohort that may use the site while it is in pilot mode."""
        return self.slug == TEST_GROUP_SLUG

    @property
    def shown_name(self) -> str:
        """The name to show: the test group's in the reader's language (the platform made
        it), the others as the administrators wrote them."""
        return _("Test group") if self.is_test_group else self.name

    @property
    def shown_description(self) -> str:
        """The description to show, the test group's in the reader's language."""
        if self.is_test_group:
            return _("Uses the site while it is in pilot mode.")
        return self.description


class CohortMember(db.Model):
    """A member's place in a cohort."""

    __tablename__ = "cohort_members"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """A member's one invitation; sending it again replaces the token (old links die).

    ``mail_id`` is the outbox message of the latest sending, from which queued,
    sent and failed are read. ``version`` guards against two runs re-issuing the
    same invitation at once.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    send_count: Mapped[int] = mapped_column(default=1)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    mail_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_outbox.id", ondelete="SET NULL"), index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column()

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    mail: Mapped[MailMessage | None] = relationship()
    #: filled by queries that ask for it (``with_expression(Invitation.state, …)``)
    state: Mapped[str | None] = query_expression()

    __mapper_args__ = {"version_id_col": version}


def state_expression(now: datetime):
    """The invitation's state as SQL; the query must outer-join ``mail_outbox`` on ``mail_id``.

    Precedence: accepted, revoked, failed (the member never got it), expired,
    queued (still in the outbox), sent.
    """
    return case(
        (Invitation.accepted_at.is_not(None), ACCEPTED),
        (Invitation.revoked_at.is_not(None), REVOKED),
        (MailMessage.status == "failed", FAILED),
        (Invitation.expires_at <= now, EXPIRED),
        (MailMessage.status == "pending", QUEUED),
        else_=SENT,
    )
