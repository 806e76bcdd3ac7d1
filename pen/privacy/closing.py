"""Close my account: confirmed by password, erased after a grace period.

Closing signs the member out everywhere. Signing in again before ``erase_after``
keeps the account (the closure is cancelled). After it, the worker erases the
person: name, email, password, profile, photo, sessions, second factor,
notifications, designations and exports go; areas delete what they hold through
the ``account_erased`` signal. What the member contributed (posts, documents,
nominations) stays, shown as by a "Former member"; the audit log keeps its rows.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from .. import audit, i18n, mail
from ..auth import passwords, sessions
from ..auth import service as accounts
from ..auth.models import (
    PasswordResetToken,
    RecoveryCode,
    RoleName,
    TwoFactor,
    User,
    UserStatus,
    new_session_nonce,
)
from ..auth.signals import account_changed, account_erased
from ..errors import ValidationError
from ..extensions import db
from ..members.models import Designation, DesignationRequest, Profile
from ..members.service import delete_photo_files
from ..notifications.models import FeedKey, Notification, NotificationSettings
from ..types import utcnow
from .exports import folder
from .models import AccountClosure, DataExport


def now():
    """The current moment (a function, so tests can move the clock)."""
    return utcnow()


def pending(user) -> AccountClosure | None:
    """The member's closure waiting for its grace period to end, if any."""
    found = db.session.get(AccountClosure, user.id)
    return found if found is not None and found.erased_at is None else None


def request_closure(user: User, password: str) -> AccountClosure:
    """Close the account once the password is given: signed out everywhere, erased after
    ``ACCOUNT_CLOSE_GRACE_DAYS`` unless the member signs in again."""
    if not passwords.verify(user.password_hash, password or ""):
        raise ValidationError(_("Your current password is not right."), field="password")
    days = int(current_app.config["ACCOUNT_CLOSE_GRACE_DAYS"])
    found = db.session.get(AccountClosure, user.id) or AccountClosure(user_id=user.id)
    moment = now()
    found.requested_at, found.erase_after = moment, moment + timedelta(days=days)
    found.erased_at = None
    db.session.add(found)
    sessions.end_all(user)
    audit.record(user, "privacy.close_requested", user, erase_after=found.erase_after.isoformat())
    with i18n.for_recipient(user):
        mail.queue_template(user.email, _("Your PEN account will be closed"), "account_closing",
                            user=user, days=days, when=found.erase_after)
    db.session.commit()
    return found


def cancel_on_sign_in(user, **_ignored) -> None:
    """``signed_in`` receiver: signing in during the grace period keeps the account."""
    found = pending(user)
    if found is not None:
        db.session.delete(found)
        audit.record(user, "privacy.close_cancelled", user)


def erase_due(moment=None) -> int:
    """Worker task: erase the accounts whose grace period has ended. How many."""
    due = list(db.session.scalars(select(AccountClosure).where(
        AccountClosure.erased_at.is_(None), AccountClosure.erase_after <= (moment or now()))))
    for found in due:
        erase(db.session.get(User, found.user_id))
        found.erased_at = moment or now()
        db.session.commit()
    return len(due)


def erase(user: User) -> None:
    """Erase the person behind an account; their contributions stay, as a former member's."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        user.display_name = _("Former member")
    user.email, user.password_hash = f"former-member-{user.id}@erased.invalid", None
    user.status, user.session_nonce = UserStatus.SUSPENDED, new_session_nonce()
    user.roles = [accounts.role(RoleName.MEMBER)]
    sessions.end_all(user)
    _clear_profile(user)
    _delete_exports(user)
    for model in (TwoFactor, RecoveryCode, PasswordResetToken, Notification,
                  NotificationSettings, FeedKey, DesignationRequest, Designation):
        db.session.execute(delete(model).where(model.user_id == user.id))
    account_changed.send(user)
    account_erased.send(user)
    audit.record(None, "privacy.account_erased", user)


def _clear_profile(user: User) -> None:
    """Blank every field of the profile and delete the photo."""
    profile = db.session.get(Profile, user.id)
    if profile is None:
        return
    photo = profile.photo
    for name in ("title", "organisation", "bio", "bio_html", "phone"):
        setattr(profile, name, "")
    for name in ("organisation_type", "country", "region", "convention_role", "timezone",
                 "locale", "photo"):
        setattr(profile, name, None)
    profile.languages, profile.expertise = [], []
    user.avatar_key = None
    delete_photo_files(photo)


def _delete_exports(user: User) -> None:
    """The member's prepared data exports, files and rows."""
    for found in db.session.scalars(select(DataExport).where(DataExport.user_id == user.id)):
        if found.stored_name:
            (folder() / found.stored_name).unlink(missing_ok=True)
        db.session.delete(found)
