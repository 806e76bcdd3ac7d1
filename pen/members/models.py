"""Member profiles and the expertise vocabulary."""

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..types import UTCDateTime, utcnow

profile_expertise = Table(
    "profile_expertise",
    db.metadata,
    Column("user_id", ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True),
    Column("expertise_id", ForeignKey("expertise_areas.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class ExpertiseArea(db.Model):
    """One term of the managed expertise vocabulary (admins edit it)."""

    __tablename__ = "expertise_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class ProfileLanguage(db.Model):
    """A language a member works in (ISO 639-1 code)."""

    __tablename__ = "profile_languages"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)


class Profile(db.Model):
    """What the network knows of a member, beyond the account."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    title: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="", index=True)
    organisation_type: Mapped[str | None] = mapped_column(String(32), index=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    region: Mapped[str | None] = mapped_column(String(48), index=True)
    convention_role: Mapped[str | None] = mapped_column(String(16), index=True)
    timezone: Mapped[str | None] = mapped_column(String(64))  # IANA name, e.g. Europe/Zurich
    locale: Mapped[str | None] = mapped_column(String(8))  # interface language; None: browser's
    bio: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    photo: Mapped[str | None] = mapped_column(String(64))
    email_visibility: Mapped[str] = mapped_column(String(16), default="members")
    phone_visibility: Mapped[str] = mapped_column(String(16), default="members")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    expertise: Mapped[list[ExpertiseArea]] = relationship(
        secondary=profile_expertise, lazy="selectin", order_by=ExpertiseArea.name)
    language_rows: Mapped[list[ProfileLanguage]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by=ProfileLanguage.code)

    @property
    def languages(self) -> list[str]:
        """The member's language codes."""
        return [row.code for row in self.language_rows]

    @languages.setter
    def languages(self, codes: list[str]) -> None:
        wanted = list(dict.fromkeys(codes))
        kept = [row for row in self.language_rows if row.code in wanted]
        have = {row.code for row in kept}
        self.language_rows = kept + [ProfileLanguage(code=c) for c in wanted if c not in have]


# Designations under the Convention that the Secretariat records (not self-declared).
DESIGNATION_KINDS = ("ocp", "nfp", "dna")
REQUEST_PENDING, REQUEST_APPROVED, REQUEST_DECLINED = "pending", "approved", "declined"


class Designation(db.Model):
    """A government's designation of a member (OCP, NFP or DNA) for a country, recorded
    by an administrator: in force from ``starts_on`` to ``ends_on`` (open if None)."""

    __tablename__ = "designations"
    __table_args__ = (Index("ix_designations_country_kind", "country", "kind", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    country: Mapped[str] = mapped_column(String(2))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def is_current(self, today: date) -> bool:
        """In force on ``today``."""
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class DesignationRequest(db.Model):
    """A member asking the Secretariat to record a designation, with a justification."""

    __tablename__ = "designation_requests"
    __table_args__ = (Index("ix_designation_requests_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(2))
    justification: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=REQUEST_PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    designation_id: Mapped[int | None] = mapped_column(
        ForeignKey("designations.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
