"""The interface language, the member's clock and locale-aware formatting.

PEN works in the six UN languages. Which one a page speaks is decided here, in
this order: the language the member chose on their profile, the one a visitor
picked with the switcher (kept in the session), the browser's Accept-Language,
English. Times are shown on the member's clock (their profile's time zone) and
dates, numbers and sizes in the forms of their language, through Babel.

This is core: it cannot read profiles itself, so the members area registers how
to look up a member's language and zone (``register_member_preferences``).
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel import units as babel_units
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import force_locale, get_locale, get_timezone, get_translations
from flask_login import current_user

from .bidi import RIGHT_TO_LEFT
from .extensions import babel

# Native names, in the UN's order (alphabetical in English): what the switcher shows.
LANGUAGES: dict[str, str] = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
DEFAULT = "en"
SESSION_KEY = "locale"
ENGLISH_FORMS = Locale.parse("en_GB")


@dataclass(frozen=True)
class Recipient:
    """How to write to one member: in which language, on which clock (None: UTC)."""

    locale: str = DEFAULT
    zone: ZoneInfo | None = None


@dataclass(frozen=True)
class MemberPreferences:
    """How to read a member's language and zone, and to write to many members at once;
    the members area registers them (this core module cannot read profiles)."""

    locale: Callable[[object], str | None] = lambda user: None
    zone: Callable[[object], ZoneInfo | None] = lambda user: None
    recipients: Callable[[list[int]], dict[int, Recipient]] = lambda ids: {}


_PREFERENCES_KEY = "pen.i18n.member_preferences"
_NO_PREFERENCES = MemberPreferences()


def register(app: Flask) -> None:
    """Bind Flask-Babel with PEN's selectors and give templates the formatting filters."""
    babel.init_app(app, default_locale=DEFAULT, locale_selector=select_locale,
                   timezone_selector=select_timezone)
    app.add_template_filter(format_moment, "moment")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_month, "month")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_size, "filesize")
    app.add_template_global(text_direction, "text_direction")
    app.add_template_global(LANGUAGES, "interface_languages")
    # Templates' _() and ngettext() as Flask-Babel's, with the catalogue remembered
    # (``catalogue``): a page says a hundred words.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True)


def catalogue():
    """The catalogue of the language the request speaks now: Flask-Babel's
    (``get_translations``, which looks up the request's context, domain and locale on
    every call), remembered in Flask-Babel's context beside the locale object it was
    found for. ``force_locale`` (a mail in its recipient's language) puts another
    locale object there, and the catalogue is looked up again."""
    context = g.get("_flask_babel") if g else None
    remembered = getattr(context, "pen_catalogue", None)
    if remembered is not None and remembered[0] is getattr(context, "babel_locale", None):
        return remembered[1]
    translations = get_translations()
    context = g.get("_flask_babel") if g else None
    if context is not None and getattr(context, "babel_locale", None) is not None:
        context.pen_catalogue = (context.babel_locale, translations)
    return translations


def register_member_preferences(app: Flask, preferences: MemberPreferences) -> None:
    """Let the members area tell ``app`` a member's language (chosen for pages) and
    time zone, and how to write to many members at once (a fixed number of queries)."""
    app.extensions[_PREFERENCES_KEY] = preferences


def _preferences() -> MemberPreferences:
    """The current app's registered preferences (none: English, UTC)."""
    if not has_app_context():
        return _NO_PREFERENCES
    return current_app.extensions.get(_PREFERENCES_KEY, _NO_PREFERENCES)


def select_locale() -> str | None:
    """The interface language of this request (see the module's docstring for the order)."""
    if not has_request_context():
        return None  # commands and the worker: the default, unless forced per recipient
    if current_user and current_user.is_authenticated:
        chosen = _preferences().locale(current_user)
        if chosen in LANGUAGES:
            return chosen
    if session.get(SESSION_KEY) in LANGUAGES:
        return session[SESSION_KEY]
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT


def select_timezone() -> str | None:
    """The member's time zone for this request; None (UTC) for visitors and when unset."""
    if not has_request_context() or not (current_user and current_user.is_authenticated):
        return None
    zone = _preferences().zone(current_user)
    return zone.key if zone else None


@contextmanager
def for_recipient(user, recipient: Recipient | None = None):
    """Write to ``user`` (an email, a notification): in their language, times on their clock.

    A loop over many members passes each one's ``recipient`` from one ``recipients()``
    call; without it, this looks the member up (a query or two for each).
    """
    if user is None or not has_app_context():
        yield
        return
    if recipient is None:
        recipient = recipients([user.id])[user.id]
    saved = g.get("babel_tzinfo")
    with force_locale(recipient.locale):
        g.babel_tzinfo = recipient.zone or ZoneInfo("UTC")
        try:
            yield
        finally:
            g.babel_tzinfo = saved


def recipients(user_ids) -> dict[int, Recipient]:
    """How to write to each of these members (language, clock), in a fixed number of
    queries however many they are; English on UTC for ids the members area does not know."""
    ids = list(dict.fromkeys(user_ids))
    found = _preferences().recipients(ids) if ids else {}
    return {user_id: found.get(user_id, Recipient()) for user_id in ids}


def text_direction(locale=None) -> str:
    """``rtl`` for Arabic, ``ltr`` for the others: the page's ``dir`` attribute."""
    code = str(locale or get_locale() or DEFAULT).split("_")[0]
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def format_moment(moment: datetime | None, zone_name: str | None = None,
                  style: str = "medium") -> str:
    """A moment in the reader's language: on the clocks of ``zone_name`` (named after
    the time) when given, else on the member's own clock. ``full`` names the weekday."""
    if moment is None:
        return ""
    if not zone_name:  # the member's clock; say "UTC" when they have not chosen a zone
        return _on_clock(moment, *_reader_clock(), style)
    zone = _zone(zone_name)
    if style == "full":
        day = _weekday_date(moment, zone)
    else:
        day = babel_dates.format_date(moment.astimezone(zone), style, locale=_locale())
    return f"{_joined(day, format_clock(moment, zone.key))} ({zone.key})"


def _reader_clock() -> tuple:
    """The member's zone and the locale moments are written in (``get_timezone()``,
    ``_locale()``), read straight from Flask-Babel's context once it knows them: a page
    prints a moment per row."""
    context = g.get("_flask_babel") if g else None
    zone, locale = getattr(context, "babel_tzinfo", None), getattr(context, "babel_locale", None)
    if zone is None or locale is None:
        return get_timezone(), _locale()
    return zone, _forms_of(locale)


@lru_cache(maxsize=4096)
def _on_clock(moment: datetime, zone, locale: Locale, style: str) -> str:
    """``format_moment`` on the member's clock, worked out once per distinct moment, zone,
    language and style (a topic page shows the same moments to every reader)."""
    day = babel_dates.format_date(moment.astimezone(zone), style, locale=locale)
    shown = _joined(day, babel_dates.format_time(moment, "short", tzinfo=zone, locale=locale),
                    locale)
    return f"{shown} UTC" if str(zone) == "UTC" else shown


def format_moment_range(start: datetime, end: datetime | None, zone_name: str) -> str:
    """A span on one clock in the reader's language; the end's date only when it differs."""
    if end is None:
        return format_moment(start, zone_name, "full")
    zone = _zone(zone_name)
    if start.astimezone(zone).date() == end.astimezone(zone).date():
        hours = babel_dates.format_interval(start, end, "Hm", tzinfo=zone, locale=_locale())
        return f"{_joined(_weekday_date(start, zone), hours)} ({zone.key})"
    first = _joined(_weekday_date(start, zone), format_clock(start, zone.key))
    last = _joined(_weekday_date(end, zone), format_clock(end, zone.key))
    return f"{first} \u2013 {last} ({zone.key})"


def format_clock(moment: datetime, zone_name: str) -> str:
    """The time of day of a moment on the clocks of ``zone_name``, as the reader writes it."""
    return babel_dates.format_time(moment, "short", tzinfo=_zone(zone_name), locale=_locale())


def _zone(name: str) -> ZoneInfo:
    """The zone of an IANA name; UTC for a name this machine does not know (a page must
    not fail over a zone name an old row holds)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


def _weekday_date(moment: datetime, zone: ZoneInfo) -> str:
    return babel_dates.format_skeleton("yMMMEd", moment, tzinfo=zone, locale=_locale())


def _joined(day: str, time: str, locale: Locale | None = None) -> str:
    """A date and a time put together the way the reader's language does."""
    pattern = babel_dates.get_datetime_format("medium", locale=locale or _locale())
    return pattern.replace("'", "").replace("{0}", time).replace("{1}", day)


def format_day(value: date | datetime | None, style: str = "medium") -> str:
    """A date in the reader's language ("16 févr. 2011"); a moment is taken on their clock.
    ``style`` is short/medium/long/full or a CLDR skeleton such as ``MMMd``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(get_timezone())
    if style in ("short", "medium", "long", "full"):
        return babel_dates.format_date(value, style, locale=_locale())
    return babel_dates.format_skeleton(style, value, locale=_locale())


def format_month(value: date) -> str:
    """A month and year as the reader names it ("février 2011", "2011年2月")."""
    return babel_dates.format_skeleton("yMMMM", value, locale=_locale())


def format_short_month(value: date) -> str:
    """A month and year in a few letters ("févr. 2011"), for chart axes."""
    return babel_dates.format_skeleton("yMMM", value, locale=_locale())


def format_number(value, pattern: str | None = None) -> str:
    """A number with the reader's digit grouping and decimal mark (``0.00``: two decimals)."""
    return _format_decimal(type(value), value, pattern, _locale())


@lru_cache(maxsize=4096)
def _format_decimal(_kind: type, value, pattern: str | None, locale) -> str:
    """Babel's formatting, remembered: a table prints the same few numbers on every
    request (the awards ranking: two per nomination) and Babel parses the pattern and
    the locale's symbols each time. ``_kind`` keeps 1 and 1.0 apart."""
    return babel_numbers.format_decimal(value, pattern, locale=locale)


def format_size(size_bytes: int | None) -> str:
    """A file size in kB or MB, in the reader's language."""
    if size_bytes is None:
        return ""
    if size_bytes < 1_000_000:
        return babel_units.format_unit(max(1, round(size_bytes / 1000)), "digital-kilobyte",
                                       "short", locale=_locale())
    return babel_units.format_unit(round(size_bytes / 1_000_000, 1), "digital-megabyte",
                                   "short", locale=_locale())


def _locale():
    """The locale dates and numbers are written in: the interface's, with English in its
    international (British) forms — "1 Mar 2011, 23:59" — rather than the American."""
    return _forms_of(get_locale())


def _forms_of(locale):
    """The locale dates and numbers are written in for the interface's ``locale``."""
    if locale is None or str(locale) == DEFAULT:
        return ENGLISH_FORMS
    return locale

