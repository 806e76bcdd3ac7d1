"""Two-factor sign-in: TOTP codes (pyotp), one-time recovery codes, remembered devices.

A member enrols by scanning a QR code (drawn here as SVG by segno, nothing leaves the
server) or typing the secret, then confirming with a first code; ten recovery codes
are shown once and kept as digests. At sign-in a code is accepted once: the time
step of the last accepted code is remembered, so the same code (or an older one) is
refused. Roles in ``TWO_FACTOR_REQUIRED_ROLES`` must enrol; administrators may reset
a member's second factor. Every change is audited.
"""

import hmac
import secrets
from datetime import timedelta

import pyotp
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from .. import audit, metrics
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..tokens import digest, new_token
from ..types import utcnow
from . import passwords, permissions, sessions
from .models import RecoveryCode, RememberedDevice, TwoFactor, User

ISSUER = "PEN"
RECOVERY_CODES = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def _totp(record: TwoFactor) -> pyotp.TOTP:
    return pyotp.TOTP(record.secret)


def new_secret() -> str:
    """A fresh TOTP secret (160 bits, base32); kept in the browser's signed session
    until a first code confirms it, so showing the set-up page writes nothing."""
    return pyotp.random_base32(32)


def now():
    """The current moment (a function, so tests can move the clock)."""
    return utcnow()


def record_of(user) -> TwoFactor | None:
    """The member's TOTP record, confirmed or pending."""
    return db.session.get(TwoFactor, user.id) if getattr(user, "id", None) else None


def is_enrolled(user) -> bool:
    """Whether the member signs in with a second factor."""
    record = record_of(user)
    return record is not None and record.confirmed_at is not None


def is_required(user) -> bool:
    """Whether the member's roles oblige them to use a second factor."""
    required = set(current_app.config.get("TWO_FACTOR_REQUIRED_ROLES") or ())
    return bool(required & set(getattr(user, "role_names", ())))


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG data: URI (an <img>, allowed by the CSP)."""
    import segno  # only on the enrolment page

    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _accept_totp(record: TwoFactor, code: str) -> bool:
    """Accept a code of the current time step or one either side, once: a step at or
    before the last accepted one is refused (a replayed code)."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp, current = _totp(record), _totp(record).timecode(now())
    for step in (current - 1, current, current + 1):
        if step > record.last_step and hmac.compare_digest(totp.generate_otp(step), code):
            record.last_step = step
            return True
    return False


def confirm(user: User, secret: str | None, code: str) -> list[str]:
    """Finish enrolment: a first code proves the app holds ``secret``; returns the
    recovery codes (shown once)."""
    if not secret or is_enrolled(user):
        raise ValidationError(_("Start the set-up again."), field="code")
    record = TwoFactor(user_id=user.id, secret=secret, last_step=0)
    if not _accept_totp(record, code):
        raise ValidationError(_("That code is not right. Check the clock of your phone "
                                "and type the code your app shows now."), field="code")
    record.confirmed_at = now()
    db.session.add(record)
    codes = _new_recovery_codes(user)
    audit.record(user, "auth.2fa_enabled", user)
    db.session.commit()
    return codes


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the member's recovery codes with ten new ones; returns them in clear."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _i in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_digest=digest(raw)))
    return codes


def regenerate_recovery_codes(user: User, password: str) -> list[str]:
    """New recovery codes (the old ones stop working), after the password is given."""
    if not is_enrolled(user):
        raise ValidationError(_("Two-step sign-in is not on."))
    if not passwords.verify(user.password_hash, password):
        raise ValidationError(_("Your current password is not right."), field="password")
    codes = _new_recovery_codes(user)
    audit.record(user, "auth.2fa_recovery_codes", user)
    db.session.commit()
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    """Spend an unused recovery code of the member's; False if none matches."""
    found = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_digest == digest(_normalise(code))))
    if found is None or found.used_at is not None:
        return False
    found.used_at = now()
    return True


def verify(user: User, code: str) -> str:
    """Check a sign-in code: a TOTP code or a recovery code. Returns which ("totp",
    "recovery"); a wrong, replayed or used code raises, with the attempt audited."""
    record = record_of(user)
    if record is None or record.confirmed_at is None:
        raise ValidationError(_("Two-step sign-in is not on."))
    kind = "totp" if _accept_totp(record, code) else (
        "recovery" if _use_recovery_code(user, code) else None)
    if kind is None:
        metrics.SIGNIN_FAILURES.labels("code").inc()
        audit.record(user, "auth.2fa_failed", user)
        db.session.commit()
        raise ValidationError(_("That code is not right, or it was already used."),
                              field="code")
    audit.record(user, "auth.2fa_passed", user, method=kind)
    db.session.commit()
    return kind


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the member has."""
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def disable(user: User, password: str) -> None:
    """Turn the second factor off (members whose roles do not require it)."""
    if is_required(user):
        raise Forbidden(_("Your role requires two-step sign-in."))
    if not passwords.verify(user.password_hash, password):
        raise ValidationError(_("Your current password is not right."), field="password")
    _remove(user)
    audit.record(user, "auth.2fa_disabled", user)
    db.session.commit()


def reset(actor, user: User) -> None:
    """An administrator removes a member's second factor (a lost phone): the member
    enrols again at the next sign-in; their sessions and remembered devices end."""
    if not permissions.can_change_user(actor, user):
        raise Forbidden(_("You may not change this account."))
    _remove(user)
    ended = sessions.end_all(user)
    audit.record(actor, "auth.2fa_reset", user, sessions_ended=ended)
    db.session.commit()


def _remove(user: User) -> None:
    """Delete the secret, the recovery codes and the remembered devices."""
    for model in (TwoFactor, RecoveryCode, RememberedDevice):
        db.session.execute(delete(model).where(model.user_id == user.id))


# --- Remembered devices --------------------------------------------------------

def remember_device(user: User, user_agent: str) -> str:
    """Remember this browser for ``TWO_FACTOR_REMEMBER_DAYS``; returns its cookie token."""
    token, token_digest = new_token()
    days = int(current_app.config["TWO_FACTOR_REMEMBER_DAYS"])
    db.session.add(RememberedDevice(user_id=user.id, token_digest=token_digest,
                                    expires_at=now() + timedelta(days=days),
                                    user_agent=(user_agent or "")[:300]))
    audit.record(user, "auth.2fa_device_remembered", user)
    db.session.commit()
    return token


def device_is_remembered(user: User, token: str | None) -> bool:
    """Whether the cookie's token is a live remembered device of this account."""
    if not token:
        return False
    found = db.session.scalar(select(RememberedDevice).where(
        RememberedDevice.token_digest == digest(token)))
    return found is not None and found.user_id == user.id and found.expires_at > now()
