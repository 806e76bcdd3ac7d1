"""Account operations: sign-in, passwords, roles and status. Each one audits."""

from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit, i18n, mail, metrics
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..tokens import digest, new_token
from ..types import utcnow
from . import passwords, permissions, sessions
from .models import PasswordResetToken, Role, RoleName, User, UserStatus, new_session_nonce
from .signals import account_changed, signed_in


def normalize_email(email: str) -> str:
    """The form an email is stored and compared in: trimmed, lower case."""
    return (email or "").strip().lower()


def checked_email(email: str) -> str:
    """Validate an address's syntax (no DNS lookups) and return it normalised."""
    try:
        valid = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(_("This is not a valid email address: %(reason)s", reason=str(exc)),
                              field="email") from exc
    return normalize_email(valid.normalized)


def find_by_email(email: str) -> User | None:
    """The account with this email, whatever its case and surrounding spaces."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def role(name: str) -> Role:
    """The role row of this name, created the first time it is needed.

    Remembered for the session's life, so creating many accounts asks once.
    """
    cache = db.session.info.setdefault("pen.roles", {})
    found = cache.get(name)
    if found is None or found not in db.session:
        found = db.session.scalar(select(Role).where(Role.name == name))
        if found is None:
            found = Role(name=name)
            db.session.add(found)
        cache[name] = found
    return found


def create_user(email: str, display_name: str, password: str | None = None,
                roles: tuple[str, ...] = (), status: UserStatus = UserStatus.ACTIVE,
                actor=None) -> User:
    """Create an account; every account is a member, plus the roles given."""
    address = checked_email(email)
    if find_by_email(address):
        raise ValidationError(_("An account with this email already exists."), field="email")
    if not display_name.strip():
        raise ValidationError(_("Please give a name."), field="display_name")
    _check_roles(roles)
    user = new_user(address, display_name, status, roles)
    if password is not None:
        passwords.check_strength(password, address)
        user.password_hash = passwords.hash_password(password)
    db.session.flush()
    announce_created(user, actor)
    return user


def new_user(email: str, display_name: str, status: UserStatus,
             roles: tuple[str, ...] = ()) -> User:
    """An account added to the session but not yet flushed, audited or announced.

    For bulk creation (the contact-list import) with emails already checked and
    known to be new; call ``announce_created`` for each once they are flushed.
    """
    now = utcnow()
    user = User(email=email, display_name=" ".join(display_name.split()), status=status,
                created_at=now, activated_at=now if status == UserStatus.ACTIVE else None)
    user.roles = [role(name) for name in sorted({RoleName.MEMBER, *roles})]
    db.session.add(user)
    return user


def announce_created(user: User, actor=None) -> None:
    """Audit a new (flushed) account and tell the other areas about it."""
    audit.record(actor, "user.create", user, roles=sorted(user.role_names))
    account_changed.send(user)


def _check_roles(roles) -> None:
    unknown = set(roles) - {r.value for r in RoleName}
    if unknown:
        raise ValidationError(_("Unknown role: %(names)s", names=", ".join(sorted(unknown))),
                              field="roles")


def authenticate(email: str, password: str) -> User | None:
    """The account if the password is right; None otherwise, after the same work."""
    user = find_by_email(email)
    if not passwords.verify(user.password_hash if user else None, password):
        metrics.SIGNIN_FAILURES.labels("password").inc()
        if user is not None:
            audit.record(user, "auth.login_failed", user)
            db.session.commit()
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def record_login(user: User) -> None:
    """Note a successful sign-in."""
    user.last_login_at = utcnow()
    audit.record(user, "auth.login", user)
    signed_in.send(user)
    db.session.commit()


def change_password(user: User, current: str, new: str, keep: str | None = None) -> None:
    """Change one's own password; every other session of the account ends (``keep`` is
    the id of the session making the change)."""
    if not passwords.verify(user.password_hash, current):
        raise ValidationError(_("Your current password is not right."), field="current_password")
    _set_password(user, new)
    ended = sessions.end_all(user, keep=keep)
    audit.record(user, "auth.password_changed", user, sessions_ended=ended)
    db.session.commit()


def _set_password(user: User, new: str) -> None:
    passwords.check_strength(new, user.email)
    user.password_hash = passwords.hash_password(new)
    user.session_nonce = new_session_nonce()


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this email; say nothing either way."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    token, token_digest = new_token()
    hours = int(current_app.config["PASSWORD_RESET_HOURS"])
    db.session.add(PasswordResetToken(user=user, token_digest=token_digest,
                                      expires_at=utcnow() + timedelta(hours=hours)))
    with i18n.for_recipient(user):
        mail.queue_template(user.email, _("Reset your PEN password"), "password_reset",
                            user=user, hours=hours,
                            link=url_for("auth.reset_password", token=token, _external=True))
    audit.record(user, "auth.reset_requested", user)
    db.session.commit()


def usable_reset_token(token: str) -> PasswordResetToken | None:
    """The reset token if it exists, is unused, unexpired and its account active."""
    found = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_digest == digest(token))
    )
    return found if found is not None and found.is_usable(utcnow()) else None


def reset_password(token: str, new: str) -> User:
    """Use a reset token once: set the password, end every session, spend the token."""
    found = usable_reset_token(token)
    if found is None:
        raise ValidationError(_("This reset link has expired or was already used."))
    _set_password(found.user, new)
    sessions.end_all(found.user)
    found.used_at = utcnow()
    audit.record(found.user, "auth.password_reset", found.user)
    db.session.commit()
    return found.user


def set_status(actor, user: User, status: UserStatus) -> None:
    """Suspend or reactivate an account; suspending ends its sessions at once."""
    if not permissions.can_change_user(actor, user):
        raise Forbidden(_("You may not change this account."))
    if status == UserStatus.ACTIVE and not user.password_hash:
        raise ValidationError(_("This account has no password yet; invite the member instead."))
    user.status = status
    if status == UserStatus.ACTIVE and user.activated_at is None:
        user.activated_at = utcnow()
    user.session_nonce = new_session_nonce()
    ended = sessions.end_all(user)
    audit.record(actor, "user.status", user, status=status.value, sessions_ended=ended)
    account_changed.send(user)
    db.session.commit()


def set_roles(actor, user: User, roles: set[str]) -> None:
    """Replace an account's roles (member is always kept)."""
    if not permissions.can_change_user(actor, user):
        raise Forbidden(_("You may not change this account."))
    _check_roles(roles)
    before = set(user.role_names)
    user.roles = [role(name) for name in sorted({RoleName.MEMBER, *roles})]
    ended = sessions.end_all(user) if user.role_names != before else 0
    audit.record(actor, "user.roles", user, roles=sorted(user.role_names), sessions_ended=ended)
    db.session.commit()


def count_by_status() -> dict[str, int]:
    """How many accounts are in each state."""
    rows = db.session.execute(select(User.status, func.count()).group_by(User.status))
    return {status.value: count for status, count in rows}


def active_administrators() -> list[User]:
    """The active accounts holding the administrator role (who is told about the site)."""
    return list(db.session.scalars(select(User).join(User.roles).where(
        Role.name == RoleName.ADMIN.value, User.status == UserStatus.ACTIVE)))
