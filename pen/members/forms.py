"""Profile, directory and vocabulary forms."""

from zoneinfo import available_timezones

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from .. import i18n
from . import countries
from .service import ProfileChanges
from .vocabulary import CONTACT_VISIBILITY, LANGUAGES, ORGANISATION_TYPE_LABELS

NOT_GIVEN = _l("— not given —")


def _choices(mapping):
    return [("", NOT_GIVEN), *((key, label) for key, label in mapping.items())]


class CheckboxesField(SelectMultipleField):
    """Several choices shown as a list of checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    """Edit a profile; every field says what is wrong with it beside it."""

    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=120)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    organisation_type = SelectField(_l("Type of organisation"),
                                    choices=lambda: _choices(ORGANISATION_TYPE_LABELS))
    country = SelectField(_l("Country"), choices=[])
    timezone = StringField(_l("Time zone"), validators=[Optional(), Length(max=64)])
    locale = SelectField(_l("Language of the interface"), default="", choices=[])
    expertise = CheckboxesField(_l("Areas of expertise"), coerce=int, choices=[])
    languages = CheckboxesField(_l("Languages you read and work in"),
                                choices=list(LANGUAGES.items()))
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=10_000)])
    phone = TelField(_l("Phone"), validators=[
        Optional(), Length(max=40),
        Regexp(r"^[0-9+() .\-/x]*$", message=_l("Use digits, spaces and + ( ) - . / only."))])
    email_visibility = SelectField(_l("Who may see your email"),
                                   choices=list(CONTACT_VISIBILITY.items()))
    phone_visibility = SelectField(_l("Who may see your phone number"),
                                   choices=list(CONTACT_VISIBILITY.items()))
    photo = FileField(_l("Photo"))
    remove_photo = BooleanField(_l("Remove my photo"))

    def __init__(self, *args, **kwargs):
        """Country names are listed in the reader's language, so per request."""
        super().__init__(*args, **kwargs)
        self.country.choices = [("", NOT_GIVEN), *countries.choices()]
        self.locale.choices = [("", _l("The language of my browser")), *interface_choices()]

    @property
    def zone_names(self) -> list[str]:
        """The IANA time zones the time-zone field suggests."""
        return sorted(available_timezones())


def interface_choices() -> list[tuple[str, str]]:
    """Each interface language by its own name, and by the reader's name for it."""
    current = str(get_locale() or i18n.DEFAULT)
    return [(code, native if code == current else f"{native} — {LANGUAGES[code]}")
            for code, native in i18n.LANGUAGES.items()]


class ExpertiseTermForm(FlaskForm):
    """Add or rename a vocabulary term."""

    name = StringField(_l("Term"), validators=[DataRequired(), Length(max=120)])


def form_values(profile) -> dict:
    """A profile's values in the shape ``ProfileForm(data=…)`` expects."""
    return {
        "display_name": profile.user.display_name, "title": profile.title,
        "organisation": profile.organisation,
        "organisation_type": profile.organisation_type or "",
        "country": profile.country or "",
        "timezone": profile.timezone or "", "locale": profile.locale or "",
        "expertise": [term.id for term in profile.expertise], "languages": profile.languages,
        "bio": profile.bio, "phone": profile.phone,
        "email_visibility": profile.email_visibility, "phone_visibility": profile.phone_visibility,
    }


def changes_from(form: ProfileForm):
    """The service's ``ProfileChanges`` from a submitted form."""
    return ProfileChanges(
        display_name=form.display_name.data or "", title=form.title.data or "",
        organisation=form.organisation.data or "",
        organisation_type=form.organisation_type.data or None,
        country=form.country.data or None,
        timezone=(form.timezone.data or "").strip() or None, locale=form.locale.data or None,
        expertise_ids=list(form.expertise.data or []), languages=list(form.languages.data or []),
        bio=form.bio.data or "", phone=form.phone.data or "",
        email_visibility=form.email_visibility.data, phone_visibility=form.phone_visibility.data,
    )
