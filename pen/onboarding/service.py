"""Rollout operations: the site mode, cohorts, and a member joining. Each one audits.

Sending invitations (one, a cohort, everyone) lives in ``sending``; this module
holds the rest of what changes state, including the members' import hook.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..auth import passwords
from ..auth import service as accounts
from ..auth.models import User, UserStatus, new_session_nonce
from ..auth.signals import account_changed
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..members import countries
from ..members import service as members
from ..members.models import Profile
from ..tokens import digest
from ..types import utcnow
from . import cohorts, sending
from .access import SITE_MODE_KEY, SITE_MODES, can_manage_rollout, site_mode
from .models import TEST_GROUP_SLUG, Cohort, CohortMember, Invitation, SiteSetting

TOKEN_MAX = 128  # longer "tokens" are not ours: no need to hash them
RENEW_AFTER = timedelta(minutes=15)  # a member asking again sooner gets the mail already sent
AUDITED_EMAILS = 50


def _check(actor) -> None:
    if not can_manage_rollout(actor):
        raise Forbidden(_("Only administrators manage the rollout."))


# --- Site mode --------------------------------------------------------------------------------


def set_site_mode(actor, mode: str) -> None:
    """Switch between ``pilot`` (test group and admins only) and ``open``."""
    _check(actor)
    if mode not in SITE_MODES:
        raise ValidationError(_("The site mode is “pilot” or “open”."), field="mode")
    old = site_mode()
    row = db.session.get(SiteSetting, SITE_MODE_KEY)
    if row is None:
        row = SiteSetting(key=SITE_MODE_KEY)
        db.session.add(row)
    row.value, row.updated_at, row.updated_by_id = mode, utcnow(), getattr(actor, "id", None)
    audit.record(actor, "site.mode", None, old=old, new=mode)
    db.session.commit()


# --- Cohorts ----------------------------------------------------------------------------------


def ensure_test_group() -> Cohort:
    """The test-group cohort, created (not committed) the first time it is needed."""
    group = cohorts.test_group()
    if group is None:
        group = Cohort(slug=TEST_GROUP_SLUG, name=_("Test group"),
                       description=_("Uses the site while it is in pilot mode."))
        db.session.add(group)
        db.session.flush()
    return group


def create_cohort(actor, name: str, description: str = "") -> Cohort:
    """A new, empty cohort with a unique name."""
    _check(actor)
    name = " ".join((name or "").split())
    slug = cohorts.slugify(name)
    if not slug or len(name) > 120:
        raise ValidationError(_("A cohort's name has 1 to 120 characters, some of them letters "
                                "or digits."), field="name")
    if slug == cohorts.ALL or cohorts.find_cohort(name) or cohorts.find_cohort(slug):
        raise ValidationError(_("There is already a cohort with this name."), field="name")
    cohort = Cohort(slug=slug, name=name, description=" ".join(description.split())[:500])
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "cohort.create", cohort, name=name)
    db.session.commit()
    return cohort


def delete_cohort(actor, cohort: Cohort) -> None:
    """Remove a cohort (its members stay members); the test group stays."""
    _check(actor)
    if cohort.is_test_group:
        raise ValidationError(_("The test group cannot be deleted."))
    audit.record(actor, "cohort.delete", cohort, name=cohort.name)
    db.session.delete(cohort)
    db.session.commit()


@dataclass
class Added:
    """What adding members by email did."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def add_members(actor, cohort: Cohort, emails_text: str) -> Added:
    """Add the accounts whose emails are listed (one per line, or separated by , ;)."""
    _check(actor)
    emails = list(dict.fromkeys(accounts.normalize_email(e)
                                for e in re.split(r"[\s,;]+", emails_text or "") if e.strip()))
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    have = set(cohorts.member_ids(cohort))
    result = Added(unknown=[e for e in emails if e not in users])
    for email, user in users.items():
        (result.already if user.id in have else result.added).append(email)
        if user.id not in have:
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
    audit.record(actor, "cohort.add", cohort, count=len(result.added),
                 emails=result.added[:AUDITED_EMAILS])
    db.session.commit()
    return result


def add_region(actor, cohort: Cohort, region: str) -> int:
    """Add every member whose profile is in a UN region; returns how many joined."""
    _check(actor)
    if region not in countries.REGIONS:
        raise ValidationError(_("Choose a region from the list."), field="region")
    in_region = set(db.session.scalars(select(Profile.user_id).where(Profile.region == region)))
    new = sorted(in_region - set(cohorts.member_ids(cohort)))
    db.session.add_all(CohortMember(cohort_id=cohort.id, user_id=user_id) for user_id in new)
    audit.record(actor, "cohort.add_region", cohort, region=region, count=len(new))
    db.session.commit()
    return len(new)


def remove_member(actor, cohort: Cohort, user: User) -> None:
    """Take one account out of a cohort."""
    _check(actor)
    membership = db.session.get(CohortMember, (cohort.id, user.id))
    if membership is not None:
        db.session.delete(membership)
        audit.record(actor, "cohort.remove", cohort, user_id=user.id, email=user.email)
    db.session.commit()


def on_import_started(records, options=None, **_ignored):
    """Members' import signal: keep the test group in step with the ``test_group`` column,
    and put every imported member in the cohort ``options["cohort"]`` names, if any.

    Returns the per-line hook (or None when there is nothing to do). Yes values
    add the member to the test group, no values remove them, an empty cell changes nothing.
    """
    hooks = [hook for hook in (_test_group_hook(records),
                               _cohort_hook((options or {}).get("cohort", ""))) if hook]
    if not hooks:
        return None

    def on_line(user: User, row: dict, notes: list[str]) -> bool:
        """Every hook sees the line; True if any changed something."""
        changed = False
        for hook in hooks:
            changed = hook(user, row, notes) or changed
        return changed

    return on_line


def _test_group_hook(records):
    """The hook following the ``test_group`` column, or None if the file has none."""
    if not any("test_group" in row for _line, row in records):
        return None
    group = ensure_test_group()
    memberships = {m.user_id: m for m in db.session.scalars(
        select(CohortMember).where(CohortMember.cohort_id == group.id))}

    def on_line(user: User, row: dict, notes: list[str]) -> bool:
        """Follow one line's ``test_group`` cell; True if membership changed."""
        raw = row.get("test_group", "")
        wanted = cohorts.flag_value(raw)
        if wanted is None:
            if raw.strip():
                notes.append(f"unknown test_group value {raw.strip()!r} ignored")
            return False
        return _follow_flag(group, memberships, user, wanted, notes)

    return on_line


def _cohort_hook(name: str):
    """The hook adding every imported member to the cohort named, or None if none is."""
    if not name:
        return None
    cohort = cohorts.find_cohort(name)
    if cohort is None:
        raise ValidationError(_("There is no cohort named “%(name)s”.", name=name[:80]))
    members = set(cohorts.member_ids(cohort))

    def on_line(user: User, row: dict, notes: list[str]) -> bool:
        """Add the line's member to the cohort; True if they were not in it."""
        if user.id is not None and user.id in members:
            return False
        if cohort.slug == TEST_GROUP_SLUG and cohorts.flag_value(row.get("test_group", "")) \
                is not None:
            return False  # the line's own test_group cell decides
        db.session.add(CohortMember(cohort=cohort, user=user))
        if user.id is not None:
            members.add(user.id)
        notes.append(f"joins the cohort {cohort.name}")
        return True

    return on_line


def _follow_flag(group: Cohort, memberships: dict, user: User, wanted: bool,
                 notes: list[str]) -> bool:
    """Add or remove one imported member; True if membership changed."""
    current = memberships.get(user.id) if user.id is not None else None
    if wanted and current is None:
        membership = CohortMember(cohort=group, user=user)
        db.session.add(membership)
        if user.id is not None:
            memberships[user.id] = membership
        notes.append("joins the test group")
        return True
    if not wanted and current is not None:
        db.session.delete(memberships.pop(user.id))
        notes.append("leaves the test group")
        return True
    return False


# --- Joining ----------------------------------------------------------------------------------


@dataclass
class Joining:
    """What a member gives when accepting: a password and the core of their profile."""

    password: str
    display_name: str
    organisation: str = ""
    organisation_type: str | None = None
    country: str | None = None


def usable_invitation(token: str) -> Invitation | None:
    """The invitation behind a link if it can still be accepted; None for any other link.

    Unknown, malformed, used, expired and revoked links and suspended accounts
    all give None, so the page says the same thing whoever asks.
    """
    if not token or len(token) > TOKEN_MAX:
        return None
    found = db.session.scalar(select(Invitation).where(Invitation.token_digest == digest(token)))
    if found is None or found.accepted_at is not None or found.revoked_at is not None:
        return None
    if utcnow() >= found.expires_at or found.user.status != UserStatus.INVITED:
        return None
    return found


def invitation_profile(invitation: Invitation) -> Profile:
    """The invited member's profile (from the import, or new), to prefill the form."""
    return members.profile_of(invitation.user)


def accept(token: str, joining: Joining) -> User:
    """Use an invitation once: set the password and profile, activate the account."""
    invitation = usable_invitation(token)
    if invitation is None:
        raise ValidationError(_("This invitation link no longer works."))
    user = invitation.user
    try:
        passwords.check_strength(joining.password, user.email)
        user.password_hash = passwords.hash_password(joining.password)
        user.status, user.session_nonce = UserStatus.ACTIVE, new_session_nonce()
        invitation.accepted_at = user.activated_at = utcnow()
        audit.record(user, "invitation.accept", user)
        account_changed.send(user)
        profile = members.profile_of(user)
        members.update_profile(user, profile, _profile_changes(profile, joining))  # commits
    except ValidationError:
        db.session.rollback()
        raise
    return user


def _profile_changes(profile: Profile, joining: Joining) -> members.ProfileChanges:
    """The profile as it is, with what the member confirmed on the invitation page."""
    return members.ProfileChanges(
        display_name=joining.display_name, title=profile.title or "",
        organisation=joining.organisation, organisation_type=joining.organisation_type,
        country=joining.country,
        expertise_ids=[term.id for term in profile.expertise],
        languages=list(profile.languages), bio=profile.bio or "", phone=profile.phone or "",
        email_visibility=profile.email_visibility or "members",
        phone_visibility=profile.phone_visibility or "members")


def request_new_invitation(email: str) -> None:
    """Send a fresh link if an invited member has this email; do and say nothing otherwise."""
    user = accounts.find_by_email(email or "")
    if user is None or user.status != UserStatus.INVITED:
        return
    invitation = db.session.scalar(select(Invitation).where(Invitation.user_id == user.id))
    if invitation is None or invitation.revoked_at is not None:
        return
    if utcnow() - invitation.last_sent_at < RENEW_AFTER or not sending.withdraw_mail(invitation):
        return
    sending.issue(invitation, user, None, sending.Schedule(utcnow()).take(),
                  members.mail_locales([user.id]).get(user.id), action="invitation.renew")
    db.session.commit()
