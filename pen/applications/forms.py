"""Forms: the application, the applicant's answer, and the reviewers' decisions and filters.

Choices are checked by the service (a clear "choose from the list" beside the
field), so the select fields here accept any value and keep it for the page.
"""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from .. import i18n
from ..members import countries
from ..members import service as members
from ..members.forms import NOT_GIVEN, CheckboxesField
from ..members.vocabulary import CONVENTION_ROLE_LABELS, LANGUAGES, ORGANISATION_TYPE_LABELS
from ..vocabulary import label as vocab
from . import interests
from .models import (
    EMAIL_MAX,
    EXPERTISE_MAX,
    MESSAGE_MAX,
    MOTIVATION_MAX,
    NAME_MAX,
    ORGANISATION_MAX,
    QUEUE_STATES,
)
from .service import Submission

REQUIRED = _l("Please fill in this field.")
STATUS_LABELS = {
    "waiting": _l("Waiting for a decision"),
    "info_requested": _l("Waiting for the applicant's answer"),
    "approved": _l("Approved"),
    "declined": _l("Declined"),
}


def _limit(maximum: int) -> Length:
    """A length check that says the limit and how long the text is."""
    return Length(max=maximum, message=_l("At most %(max)d characters, please (this has "
                                          "%(length)d)."))


def _select(label, choices=None) -> SelectField:
    """A required list whose value the service checks (so a stray value is kept, not lost)."""
    return SelectField(label, choices=choices or [], validate_choice=False,
                       validators=[DataRequired(message=REQUIRED)])


class ApplyForm(FlaskForm):
    """Everything the Secretariat needs to know about someone who wants to join."""

    name = StringField(_l("Your name"), validators=[DataRequired(REQUIRED), _limit(NAME_MAX)])
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), _limit(EMAIL_MAX)])
    organisation = StringField(_l("Organisation"),
                               validators=[DataRequired(REQUIRED), _limit(ORGANISATION_MAX)])
    organisation_type = _select(_l("Type of organisation"))
    country = _select(_l("Country"))
    convention_role = _select(_l("Your role under the Stockholm Convention"))
    expertise = CheckboxesField(_l("Areas of expertise"), coerce=int, choices=[],
                                validate_choice=False)
    expertise_text = TextAreaField(_l("Your expertise, in your own words"),
                                   validators=[Optional(), _limit(EXPERTISE_MAX)])
    languages = CheckboxesField(_l("Languages you work in"), choices=list(LANGUAGES.items()),
                                validate_choice=False)
    motivation = TextAreaField(_l("Why do you want to join PEN?"),
                               validators=[DataRequired(REQUIRED), _limit(MOTIVATION_MAX)])
    groups = CheckboxesField(_l("Thematic groups that interest you"), coerce=int, choices=[],
                             validate_choice=False)
    locale = _select(_l("Write to me in"), list(i18n.LANGUAGES.items()))
    stamp = HiddenField()
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling robots.
    website = StringField(_l("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        """Lists in the reader's language, and from the database, so built per request."""
        super().__init__(*args, **kwargs)
        self.organisation_type.choices = [("", NOT_GIVEN), *ORGANISATION_TYPE_LABELS.items()]
        self.country.choices = [("", NOT_GIVEN), *countries.choices()]
        self.convention_role.choices = [("", NOT_GIVEN), *CONVENTION_ROLE_LABELS.items()]
        self.expertise.choices = [(term.id, vocab("expertise", term.id, term.name))
                                 for term in members.vocabulary()]
        self.groups.choices = interests.group_choices()
        if not self.locale.data:
            self.locale.data = str(get_locale() or i18n.DEFAULT)

    def submission(self) -> Submission:
        """The service's ``Submission`` from the sent form."""
        return Submission(
            name=self.name.data or "", email=self.email.data or "",
            organisation=self.organisation.data or "",
            organisation_type=self.organisation_type.data or "",
            country=self.country.data or "", convention_role=self.convention_role.data or "",
            motivation=self.motivation.data or "", locale=self.locale.data or "",
            expertise_ids=list(self.expertise.data or []),
            expertise_text=self.expertise_text.data or "",
            languages=list(self.languages.data or []), group_ids=list(self.groups.data or []))


class AnswerForm(FlaskForm):
    """The applicant's answer to the Secretariat's question."""

    answer = TextAreaField(_l("Your answer"),
                           validators=[DataRequired(REQUIRED), _limit(MESSAGE_MAX)])


class ConfirmForm(FlaskForm):
    """The button that confirms the address (a link alone is opened by mail scanners too)."""


class MessageForm(FlaskForm):
    """A reviewer's message: the reason for declining, or a question."""

    message = TextAreaField(_l("Message to the applicant"),
                            validators=[DataRequired(REQUIRED), _limit(MESSAGE_MAX)])


class ApproveForm(FlaskForm):
    """Approve, choosing the cohort the new member is invited with."""

    cohort = SelectField(_l("Cohort"), choices=[], validate_choice=False)


class QueueFilterForm(FlaskForm):
    """Filters of the queue (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False,
                         choices=[("", _l("Any")), *((s, STATUS_LABELS[s]) for s in QUEUE_STATES)])
    country = SelectField(_l("Country"), validators=[Optional()], validate_choice=False)
    organisation_type = SelectField(_l("Type of organisation"), validators=[Optional()],
                                    validate_choice=False,
                                    choices=lambda: [("", _l("Any")),
                                                     *ORGANISATION_TYPE_LABELS.items()])
    flagged = BooleanField(_l("Possible duplicates only"))

    def __init__(self, *args, **kwargs):
        """Country names in the reader's language."""
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Any")), *countries.choices()]
