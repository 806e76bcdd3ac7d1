"""Award forms. They read what was typed; the services validate and have the last word."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from ..members import countries
from ..vocabulary import label as vocab
from . import clock
from .models import Decision, NomineeKind, QuestionKind

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class PrefixedForm(FlaskForm):
    """A form sharing a page with others: its field names and ids carry ``PREFIX``."""

    PREFIX = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)


class CycleForm(FlaskForm):
    """A cycle's name, description, time zone, moments and grace period."""

    name = StringField(_l("Name"), validators=[InputRequired(_l("Give the cycle a name."))])
    description = TextAreaField(_l("Call for nominations (Markdown)"))
    time_zone = StringField(_l("Time zone the moments are entered in"), default="UTC",
                            validators=[DataRequired(_l("Choose a time zone from the list."))],
                            filters=[lambda v: (v or "").strip()])
    opens = DateTimeLocalField(_l("Opens"), format=DATETIME_FORMATS, validators=[
        InputRequired(_l("Give the opening date and time."))])
    closes = DateTimeLocalField(_l("Closes (the published deadline)"), format=DATETIME_FORMATS,
                                validators=[InputRequired(_l("Give the deadline."))])
    grace_minutes = IntegerField(_l("Grace period in minutes (shown to nobody)"), default=30,
                                 validators=[InputRequired(_l("Give a number of minutes."))])
    submit = SubmitField(_l("Save the cycle"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_names = clock.zone_names()  # the list typing searches (a datalist)


class CategoryForm(PrefixedForm):
    """A category: what it rewards, who is eligible, whether one may nominate oneself."""

    PREFIX = "category"

    name = StringField(_l("Category name"))
    description = TextAreaField(_l("What it rewards (Markdown)"))
    eligibility = TextAreaField(_l("Eligibility notes (Markdown)"))
    allow_self = BooleanField(_l("Members may nominate themselves"))
    submit = SubmitField(_l("Add category"))


class QuestionForm(PrefixedForm):
    """A question of the nomination form."""

    PREFIX = "question"

    label = StringField(_l("Question"))
    kind = SelectField(_l("Answer"), choices=[
        (QuestionKind.TEXT.value, _l("Text")), (QuestionKind.CHOICE.value, _l("One choice")),
        (QuestionKind.FILE.value, _l("A document (PDF or DOCX)"))])
    choices = TextAreaField(_l("Choices, one per line (for “One choice”)"))
    required = BooleanField(_l("Required to submit"))
    submit = SubmitField(_l("Add question"))


class CriterionForm(PrefixedForm):
    """A rubric criterion."""

    PREFIX = "criterion"

    name = StringField(_l("Criterion"))
    description = TextAreaField(_l("What reviewers look for"))
    weight = IntegerField(_l("Weight (1 to 10)"), default=1, validators=[Optional()])
    submit = SubmitField(_l("Add criterion"))


class NominationForm(FlaskForm):
    """The fixed part of a nomination; each cycle adds its questions as ``q<id>``."""

    category = SelectField(_l("Category"), coerce=int, validate_choice=False)
    nominee_kind = RadioField(_l("Whom do you nominate?"), default=NomineeKind.MEMBER.value,
                              validate_choice=False, choices=[
        (NomineeKind.MEMBER.value, _l("A member of the network")),
        (NomineeKind.PERSON.value, _l("A person outside the network")),
        (NomineeKind.ORGANISATION.value, _l("An organisation")),
        (NomineeKind.SELF.value, _l("Myself (where the category allows it)"))])
    nominee_member = StringField(_l("The member (email, or name as in the directory)"))
    nominee_name = StringField(_l("Name of the person or organisation"))
    nominee_organisation = StringField(_l("Their organisation"))
    nominee_country = SelectField(_l("Country"), validate_choice=False)
    nominee_email = StringField(_l("Their email (optional)"))
    statement = TextAreaField(_l("Why they deserve the award (Markdown)"))
    save_draft = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit nomination"))


def nomination_form(cycle, data: dict | None = None) -> NominationForm:
    """The nomination form of ``cycle``, with a field per question."""

    class CycleNominationForm(NominationForm):
        pass

    for question in cycle.questions:
        setattr(CycleNominationForm, f"q{question.id}", _question_field(question))
    form = CycleNominationForm(data=data)
    form.category.choices = [(c.id, vocab("award_category", c.id, c.name))
                             for c in cycle.categories]
    form.nominee_country.choices = [("", _l("— not given —")), *countries.choices()]
    return form


def _question_field(question):
    if question.kind == QuestionKind.FILE:
        return FileField(question.label)
    if question.kind == QuestionKind.CHOICE:
        return SelectField(question.label, validate_choice=False,
                           choices=[("", _l("— choose —"))] + [(c, c) for c in question.choices])
    return TextAreaField(question.label)


class ReviewForm(FlaskForm):
    """Scores per criterion (``c<id>``) and a comment for the committee."""

    comment = TextAreaField(_l("Comment for the committee (Markdown)"))
    submit = SubmitField(_l("Submit review"))


def review_form(cycle, data: dict | None = None) -> ReviewForm:
    """The review form of ``cycle``'s rubric; scores are typed 1 to 5."""

    class CycleReviewForm(ReviewForm):
        pass

    for criterion in cycle.criteria:
        setattr(CycleReviewForm, f"c{criterion.id}",
                # gettext, not lazy: a lazy string passes for HTML (it has __html__), so
                # WTForms would print the administrator's criterion name unescaped.
                StringField(_("%(name)s (weight %(weight)d), 1 to 5", name=criterion.name,
                              weight=criterion.weight)))
    return CycleReviewForm(data=data)


class ConflictForm(FlaskForm):
    """A reviewer's declaration of a conflict of interest."""

    reason = StringField(_l("Why (optional, seen by administrators)"))
    submit = SubmitField(_l("Declare a conflict of interest"))


class DiscussionForm(FlaskForm):
    """A message in the committee's thread."""

    body = TextAreaField(_l("Your message (Markdown)"))
    submit = SubmitField(_l("Post to the committee"))


class DecisionForm(FlaskForm):
    """An administrator's decision on a nomination."""

    decision = SelectField(_l("Decision"), choices=[
        ("", _l("— undecided —")), (Decision.SHORTLISTED.value, _l("Shortlisted")),
        (Decision.WINNER.value, _l("Winner")), (Decision.NOT_SELECTED.value, _l("Not selected"))])
    submit = SubmitField(_l("Save decision"))
