"""Forms: accepting an invitation, asking for a new one, and the rollout administration."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.forms import NewPasswordForm
from ..members import countries
from ..members.forms import NOT_GIVEN, ProfileForm
from .access import OPEN, PILOT
from .models import STATES
from .service import Joining

STATE_LABELS = {
    "queued": _l("Queued"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "accepted": _l("Accepted"),
    "expired": _l("Expired"),
    "revoked": _l("Revoked"),
}


class AcceptForm(NewPasswordForm):
    """Choose a password and confirm the profile the network has (fields as on the profile)."""

    display_name = ProfileForm.display_name
    organisation = ProfileForm.organisation
    organisation_type = ProfileForm.organisation_type
    country = ProfileForm.country

    def __init__(self, *args, **kwargs):
        """Country names in the reader's language, so listed per request."""
        super().__init__(*args, **kwargs)
        self.country.choices = [("", NOT_GIVEN), *countries.choices()]

    def joining(self) -> Joining:
        """The service's ``Joining`` from the submitted form."""
        return Joining(password=self.password.data or "",
                       display_name=self.display_name.data or "",
                       organisation=self.organisation.data or "",
                       organisation_type=self.organisation_type.data or None,
                       country=self.country.data or None)


def accept_form_values(profile) -> dict:
    """The invited member's profile in the shape ``AcceptForm(data=…)`` expects."""
    return {"display_name": profile.user.display_name, "organisation": profile.organisation or "",
            "organisation_type": profile.organisation_type or "",
            "country": profile.country or ""}


class RenewForm(FlaskForm):
    """Ask for a new invitation link."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class SiteModeForm(FlaskForm):
    """Pilot or open."""

    mode = RadioField(_l("Site mode"), choices=[
        (PILOT, _l("Pilot — only the test group and administrators can use the site")),
        (OPEN, _l("Open — every active member can use the site")),
    ], validators=[DataRequired()])


class SendForm(FlaskForm):
    """Invite a cohort, or everyone, with an optional dry run."""

    cohort = SelectField(_l("Send to"), validators=[DataRequired()])
    dry_run = BooleanField(_l("Dry run: show who would be invited, send nothing"))


class CohortForm(FlaskForm):
    """A new cohort."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=500)])


class AddMembersForm(FlaskForm):
    """Add accounts to a cohort by email."""

    emails = TextAreaField(_l("Emails"), validators=[DataRequired(), Length(max=100_000)])


class AddRegionForm(FlaskForm):
    """Add every member of a UN region to a cohort."""

    region = SelectField(_l("Region"), choices=list(countries.REGION_LABELS.items()),
                         validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class TrackingFilterForm(FlaskForm):
    """Filter the invitations (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or email"), validators=[Optional(), Length(max=200)])
    state = SelectField(_l("State"), validators=[Optional()],
                        choices=[("", _l("Any")), *((s, STATE_LABELS[s]) for s in STATES)])
    cohort = SelectField(_l("Cohort"), validators=[Optional()], choices=[("", _l("Any"))])
