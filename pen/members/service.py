"""Operations on member profiles and the expertise vocabulary. Each one audits."""

import time
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit, avatars, files, i18n, markup, visibility
from ..auth import loading
from ..auth.loading import MISSING
from ..auth.models import User
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..vocabulary import forget_term
from . import countries, indexing, permissions, photos
from .models import ExpertiseArea, Profile, ProfileLanguage
from .vocabulary import CONTACT_VISIBILITY, LANGUAGES, ORGANISATION_TYPES

PHOTO_AREA = "photos"
AVATAR_AREA = "avatars"  # thumbnails of the photos, made once per size
COUNTS_TTL = 60.0


@dataclass
class ProfileChanges:
    """The editable fields of a profile, as plain values."""

    display_name: str
    title: str = ""
    organisation: str = ""
    organisation_type: str | None = None
    country: str | None = None
    timezone: str | None = None
    locale: str | None = None
    expertise_ids: list[int] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    bio: str = ""
    phone: str = ""
    email_visibility: str = "members"
    phone_visibility: str = "members"


def profile_of(user: User) -> Profile:
    """The user's profile, created empty the first time it is needed."""
    profile = db.session.get(Profile, user.id)
    if profile is None:
        profile = Profile(user=user, user_id=user.id)
        db.session.add(profile)
    return profile


def on_account_changed(user, **_) -> None:
    """Auth's signal: an account was created or changed; give it a profile, reindex it."""
    profile_of(user)
    indexing.enqueue_profile(user.id)


def get_profile(user_id: int) -> Profile | None:
    """The profile of a user id, or None."""
    return db.session.get(Profile, user_id)


def update_profile(actor, profile: Profile, changes: ProfileChanges) -> Profile:
    """Save a profile's fields after checking each one against the vocabularies."""
    if not permissions.can_edit_profile(actor, profile):
        raise Forbidden(_("You may not edit this profile."))
    _validate(changes)
    _apply(profile, changes)
    indexing.enqueue_profile(profile.user_id)
    audit.record(actor, "profile.update", profile.user)
    db.session.commit()
    return profile


def _validate(changes: ProfileChanges) -> None:
    """Raise a ValidationError naming the first field that is not acceptable."""
    checks = [
        ("display_name", bool(changes.display_name.strip()), _("Please give your name.")),
        ("organisation_type", changes.organisation_type in (None, *ORGANISATION_TYPES),
         _("Choose an organisation type from the list.")),
        ("country", changes.country in (None, *countries.REGION_OF),
         _("Choose a country from the list.")),
        ("timezone", changes.timezone is None or zone_or_none(changes.timezone) is not None,
         _("%(name)s is not a time zone; choose one from the list, such as Europe/Zurich.",
           name=changes.timezone)),
        ("locale", changes.locale in (None, *i18n.LANGUAGES),
         _("Choose a language of the interface from the list.")),
        ("languages", set(changes.languages) <= set(LANGUAGES),
         _("Choose languages from the list.")),
        ("email_visibility", changes.email_visibility in CONTACT_VISIBILITY,
         _("Choose who may see your email.")),
        ("phone_visibility", changes.phone_visibility in CONTACT_VISIBILITY,
         _("Choose who may see your phone number.")),
    ]
    for name, ok, message in checks:
        if not ok:
            raise ValidationError(message, field=name)


def _apply(profile: Profile, changes: ProfileChanges) -> None:
    profile.user.display_name = changes.display_name.strip()
    for name in ("title", "organisation", "phone"):
        setattr(profile, name, getattr(changes, name).strip())
    for name in ("organisation_type", "country", "timezone", "locale",
                 "email_visibility", "phone_visibility"):
        setattr(profile, name, getattr(changes, name))
    profile.region = countries.REGION_OF.get(profile.country) if profile.country else None
    profile.bio, profile.bio_html = changes.bio, markup.render(changes.bio)
    profile.languages = changes.languages
    profile.expertise = expertise_by_ids(changes.expertise_ids)


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_or_none(name: str | None) -> ZoneInfo | None:
    """The time zone of an IANA name, or None when there is no such zone (only the
    database's names count: not file paths, not ``localtime``)."""
    if not name or name not in _zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def member_zone(user) -> ZoneInfo | None:
    """The time zone the member chose on their profile, or None if they did not choose."""
    return zone_or_none(_preferences(user)[0])


def member_locale(user) -> str | None:
    """The interface language the member chose on their profile, or None."""
    return _preferences(user)[1]


def register_riders(app) -> None:
    """Read the member's time zone and language with their session (no query more)."""
    for key, column in (("profile.timezone", Profile.timezone), ("profile.locale", Profile.locale)):
        loading.register_rider(app, key, _profile_column(column), depends_on=("profiles",))


def _profile_column(column):
    """A rider's column: ``column`` of the member's profile (None without one)."""
    return lambda user_id: select(column).where(Profile.user_id == user_id).scalar_subquery()


def _preferences(user) -> tuple[str | None, str | None]:
    """A member's (time zone, language) columns, read once per request: pages ask
    several times (the month view, each deadline of a list, every translated string)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None, None
    memo = request.__dict__.setdefault("_pen_preferences", {}) if has_request_context() else {}
    if user.id not in memo:  # read with the session (see ``register_riders``), if it was
        zone, locale = (loading.rider(key, user) for key in ("profile.timezone", "profile.locale"))
        if zone is not MISSING and locale is not MISSING:
            memo[user.id] = (zone, locale)
    if user.id not in memo:
        row = db.session.execute(select(Profile.timezone, Profile.locale)
                                 .where(Profile.user_id == user.id)).first()
        memo[user.id] = (row.timezone, row.locale) if row else (None, None)
    return memo[user.id]


def mail_recipients(user_ids) -> dict[int, i18n.Recipient]:
    """How to write to each member (two queries for any number, one when all chose a
    language): on their clock, in the language they chose for the interface, else one of
    their working languages that the interface speaks (a translation rather than English:
    many read English with effort), else English."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Profile.user_id, Profile.timezone, Profile.locale)
                              .where(Profile.user_id.in_(ids))).all()
    chosen = {row.user_id: row.locale for row in rows if row.locale in i18n.LANGUAGES}
    spoken = _first_spoken([i for i in ids if i not in chosen])
    zones = {row.user_id: zone_or_none(row.timezone) for row in rows}
    return {i: i18n.Recipient(chosen.get(i) or spoken.get(i) or i18n.DEFAULT, zones.get(i))
            for i in ids}


def _first_spoken(user_ids: list[int]) -> dict[int, str]:
    """Each member's first working language (by code) that the interface speaks, English
    aside; one query, none when there is no one to ask about."""
    if not user_ids:
        return {}
    spoken = db.session.execute(
        select(ProfileLanguage.user_id, ProfileLanguage.code)
        .where(ProfileLanguage.user_id.in_(user_ids),
               ProfileLanguage.code.in_([c for c in i18n.LANGUAGES if c != i18n.DEFAULT]))
        .order_by(ProfileLanguage.user_id, ProfileLanguage.code)).all()
    return dict(reversed(spoken))  # the first code of each member wins


def mail_locales(user_ids) -> dict[int, str]:
    """The language to write to each member in (see ``mail_recipients``)."""
    return {i: recipient.locale for i, recipient in mail_recipients(user_ids).items()}


def reading_languages(user) -> list[str]:
    """The languages a member reads, best first: the interface's, then those on their
    profile (content in these is offered first)."""
    first = str(get_locale() or i18n.DEFAULT)
    codes = db.session.scalars(select(ProfileLanguage.code).where(
        ProfileLanguage.user_id == user.id).order_by(ProfileLanguage.code)) \
        if getattr(user, "is_authenticated", False) else []
    return [first, *(code for code in codes if code != first)]


def set_locale(actor, code: str | None) -> None:
    """Keep the interface language a member picked with the switcher on their profile."""
    if code is not None and code not in i18n.LANGUAGES:
        raise ValidationError(_("Choose a language of the interface from the list."), "locale")
    profile_of(actor).locale = code
    if has_request_context():
        request.__dict__.pop("_pen_preferences", None)
    db.session.commit()


def set_photo(actor, profile: Profile, data: bytes) -> None:
    """Replace the profile photo with a checked, resized, metadata-free copy."""
    if not permissions.can_edit_profile(actor, profile):
        raise Forbidden(_("You may not edit this profile."))
    max_bytes = int(current_app.config["PHOTO_MAX_MB"]) * 2**20
    old, profile.photo = profile.photo, files.store_bytes(PHOTO_AREA,
                                                          photos.process(data, max_bytes), ".jpg")
    profile.user.avatar_key = profile.photo
    audit.record(actor, "profile.photo", profile.user)
    db.session.commit()
    delete_photo_files(old)


def remove_photo(actor, profile: Profile) -> None:
    """Remove the profile photo."""
    if not permissions.can_edit_profile(actor, profile):
        raise Forbidden(_("You may not edit this profile."))
    old, profile.photo = profile.photo, None
    profile.user.avatar_key = None
    audit.record(actor, "profile.photo_removed", profile.user)
    db.session.commit()
    delete_photo_files(old)


def delete_photo_files(photo: str | None) -> None:
    """Remove a replaced photo and the thumbnails made of it."""
    if photo:
        for size in avatars.SIZES:
            files.delete(AVATAR_AREA, avatars.thumbnail_name(photo, size))
    files.delete(PHOTO_AREA, photo)


def expertise_by_ids(ids: list[int]) -> list[ExpertiseArea]:
    """The vocabulary terms with these ids (unknown ids are refused)."""
    if not ids:
        return []
    terms = list(db.session.scalars(select(ExpertiseArea).where(ExpertiseArea.id.in_(ids))))
    if len(terms) != len(set(ids)):
        raise ValidationError(_("Choose areas of expertise from the list."), field="expertise")
    return terms


def vocabulary() -> list[ExpertiseArea]:
    """The expertise vocabulary, alphabetically."""
    return list(db.session.scalars(select(ExpertiseArea).order_by(ExpertiseArea.name)))


def add_expertise(actor, name: str) -> ExpertiseArea:
    """Add a term to the vocabulary."""
    if not permissions.can_edit_vocabulary(actor):
        raise Forbidden(_("Only administrators edit the vocabulary."))
    cleaned = _checked_term(name)
    term = ExpertiseArea(name=cleaned)
    db.session.add(term)
    db.session.flush()
    audit.record(actor, "expertise.add", term, name=cleaned)
    db.session.commit()
    return term


def rename_expertise(actor, term: ExpertiseArea, name: str) -> None:
    """Rename a term; every profile holding it follows (and is reindexed)."""
    if not permissions.can_edit_vocabulary(actor):
        raise Forbidden(_("Only administrators edit the vocabulary."))
    cleaned = _checked_term(name, current=term)
    audit.record(actor, "expertise.rename", term, old=term.name, new=cleaned)
    term.name = cleaned
    indexing.enqueue_holders(term.id)
    db.session.commit()


def delete_expertise(actor, term: ExpertiseArea) -> None:
    """Remove a term from the vocabulary and from every profile."""
    if not permissions.can_edit_vocabulary(actor):
        raise Forbidden(_("Only administrators edit the vocabulary."))
    indexing.enqueue_holders(term.id)
    audit.record(actor, "expertise.delete", term, name=term.name)
    forget_term("expertise", term.id)
    db.session.delete(term)
    db.session.commit()


def _checked_term(name: str, current: ExpertiseArea | None = None) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 120:
        raise ValidationError(_("A term has 1 to 120 characters."), field="name")
    clash = db.session.scalar(
        select(ExpertiseArea).where(func.lower(ExpertiseArea.name) == cleaned.lower()))
    if clash is not None and clash is not current:
        raise ValidationError(_("This term is already in the vocabulary."), field="name")
    return cleaned


def count_by_region(viewer) -> list[tuple[str, int]]:
    """Members per region, among the profiles the viewer may see (cached a minute)."""
    return _cached(("region", _terms(viewer)), lambda: _count_by_region(viewer))


def count_by_country(viewer, limit: int = 15) -> list[tuple[str, int]]:
    """The countries with most members the viewer may see, most first (cached a minute)."""
    return _cached(("country", _terms(viewer), limit),
                   lambda: _count_by_country(viewer, limit))


def _cached(key: tuple, compute):
    """``compute()``, kept per app for COUNTS_TTL seconds.

    The directory draws these charts on every page; at 55,000 members the two
    GROUP BY queries cost more than the search itself, and a chart a minute old
    is as good as a fresh one.
    """
    store = current_app.extensions.setdefault("pen.members.counts", {})
    expires, value = store.get(key, (0.0, None))
    if time.monotonic() >= expires:
        value = compute()
        store[key] = (time.monotonic() + COUNTS_TTL, value)
    return value


def _count_by_region(viewer) -> list[tuple[str, int]]:
    query = (select(Profile.region, func.count()).join(Profile.user)
             .where(Profile.region.is_not(None)).group_by(Profile.region))
    counts = dict(db.session.execute(_visible_only(query, viewer)).all())
    return [(region, counts.get(region, 0)) for region in countries.REGIONS]


def _count_by_country(viewer, limit: int) -> list[tuple[str, int]]:
    query = (select(Profile.country, func.count().label("n")).join(Profile.user)
             .where(Profile.country.is_not(None)).group_by(Profile.country)
             .order_by(func.count().desc(), Profile.country).limit(limit))
    return [(code, n) for code, n in db.session.execute(_visible_only(query, viewer))]


def _terms(viewer) -> frozenset[str]:
    """What the profile rule lets ``viewer`` see, as a cache key: viewers with the same
    terms see the same profiles, so they share the charts."""
    return frozenset(visibility.rule_for(permissions.PROFILE_KIND).terms(viewer))


def _visible_only(query, viewer):
    """Restrict a profile query (joined to ``User``) to the profiles ``viewer`` may see."""
    return query.where(permissions.visible_profile_clause(viewer))
