"""Forms of designations: record, end, request, decide."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from . import countries
from .models import DESIGNATION_KINDS
from .vocabulary import CONVENTION_ROLE_LABELS


def _kinds():
    return [(kind, CONVENTION_ROLE_LABELS[kind]) for kind in DESIGNATION_KINDS]


class _CountryForm(FlaskForm):
    """A country chosen from the list; the service says why an unknown code is refused."""

    country = SelectField(_l("Country"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        """Country names in the reader's language, so per request."""
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("— choose —")), *countries.choices()]


class RecordDesignationForm(_CountryForm):
    """An administrator records a designation for a member."""

    email = EmailField(_l("Member's email"), validators=[DataRequired(), Length(max=254)])
    kind = SelectField(_l("Designation"), choices=_kinds, validate_choice=False)
    starts_on = DateField(_l("From"), validators=[DataRequired()])
    ends_on = DateField(_l("Until (leave empty if open-ended)"), validators=[Optional()])


class RequestDesignationForm(_CountryForm):
    """A member asks the Secretariat to record a designation."""

    kind = SelectField(_l("Designation"), choices=_kinds, validate_choice=False)
    justification = TextAreaField(
        _l("Justification"), validators=[DataRequired(), Length(max=2000)])


class DecideRequestForm(_CountryForm):
    """An administrator approves a request (with dates) or declines it (with a reason)."""

    starts_on = DateField(_l("From"), validators=[Optional()])
    ends_on = DateField(_l("Until (leave empty if open-ended)"), validators=[Optional()])
    note = StringField(_l("Reason for declining"), validators=[Optional(), Length(max=2000)])


class EndDesignationForm(FlaskForm):
    """An administrator ends a designation."""

    ends_on = DateField(_l("Ends on"), validators=[DataRequired()])
