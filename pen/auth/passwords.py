"""Argon2 password hashing with a constant-work path for unknown accounts."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from ..errors import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 256


@cache
def _hasher(params: tuple) -> PasswordHasher:
    """One hasher per parameter set (tests use cheap parameters)."""
    return PasswordHasher(**dict(params))


@cache
def _dummy_hash(params: tuple) -> str:
    """A real hash to verify against when the email is unknown, so timing is alike."""
    return _hasher(params).hash("pen-no-such-account")


def _params() -> tuple:
    return tuple(sorted(current_app.config["PASSWORD_HASH"].items()))


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher(_params()).hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, spend the same work and fail."""
    params = _params()
    try:
        return _hasher(params).verify(stored_hash or _dummy_hash(params), password) and bool(
            stored_hash
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the stored hash was made with weaker parameters than today's."""
    return _hasher(_params()).check_needs_rehash(stored_hash)


def check_strength(password: str, email: str = "") -> None:
    """Refuse passwords that are too short, too long, or the email itself."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(_("Use at least %(n)d characters.", n=MIN_LENGTH), field="password")
    if len(password) > MAX_LENGTH:
        raise ValidationError(_("Use at most %(n)d characters.", n=MAX_LENGTH), field="password")
    if email and password.strip().lower() == email.strip().lower():
        raise ValidationError(
            _("Your password cannot be your email address."), field="password"
        )
