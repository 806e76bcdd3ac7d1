"""Users, roles and password-reset tokens."""

import secrets
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, Enum, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import UTCDateTime, utcnow


class UserStatus(StrEnum):
    """Where an account stands: invited (no password yet), active, or suspended."""

    INVITED = "invited"
    ACTIVE = "active"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        """The status as the reader's language says it."""
        return str({"invited": _l("invited"), "active": _l("active"),
                    "suspended": _l("suspended")}[self.value])


class RoleName(StrEnum):
    """The roles the platform knows; each is a row in ``roles``."""

    MEMBER = "member"
    MODERATOR = "moderator"
    COMMITTEE = "committee"
    ADMIN = "admin"


user_roles = Table(
    "user_roles",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)


class Role(db.Model):
    """A named role; permissions are predicates over these (see permissions.py)."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)


def new_session_nonce() -> str:
    """A fresh value that, once changed, invalidates every session of a user."""
    return secrets.token_hex(8)


class User(UserMixin, db.Model):
    """An account. The email is stored normalised (lower case) and unique."""

    __tablename__ = "users"
    __table_args__ = (Index("ix_users_activated", "activated_at", "id"),)  # the activity feed

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[UserStatus] = mapped_column(
        Enum(
            UserStatus,
            name="user_status",
            native_enum=False,
            create_constraint=True,
            length=16,
            values_callable=lambda enum: [member.value for member in enum],
        ),
        default=UserStatus.INVITED,
        index=True,
    )
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the account first became active: at creation, or when the member accepted
    # their invitation. The activity feed lists new members by it (an index walk).
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The stored name of the profile photo, copied here by the members area so that every
    # list showing a name can show the face from the row it already loads (no query more).
    avatar_key: Mapped[str | None] = mapped_column(String(64))
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")

    def get_id(self) -> str:
        """Flask-Login's session id: changing the nonce logs out every session."""
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_active(self) -> bool:
        """Only active accounts may hold a session."""
        return self.status == UserStatus.ACTIVE

    @property
    def role_names(self) -> set[str]:
        """The names of this user's roles."""
        return {role.name for role in self.roles}

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class PasswordResetToken(db.Model):
    """A single-use, expiring password-reset link; only the token's digest is kept."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        """Unused, unexpired, and the account can still log in."""
        return self.used_at is None and now < self.expires_at and self.user.is_active


class UserSession(db.Model):
    """A signed-in session, server-side: the signed cookie holds a random id whose digest
    is kept here. Deleting the row signs out every copy of that cookie."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_seen", "user_id", "last_seen_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class TwoFactor(db.Model):
    """A member's TOTP secret: pending until a first code confirms it. ``last_step`` is
    the time step of the last code accepted, so a code is never accepted twice."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_step: Mapped[int] = mapped_column(default=0)


class RecoveryCode(db.Model):
    """A one-time recovery code; only its digest is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RememberedDevice(db.Model):
    """A browser that may skip the second step for a while: a signed cookie carries a
    random id whose digest is here. Revoked with the account's sessions."""

    __tablename__ = "remembered_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
