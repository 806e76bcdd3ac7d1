"""Group forms: what they check is repeated by the service, which has the last word."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from .models import INVITATION, LISTED, OPEN, REQUEST, UNLISTED
from .workplan import STATUS_LABELS

VISIBILITY_CHOICES = [(LISTED, _l("Listed: every member sees the group and may ask to join")),
                      (UNLISTED, _l("Unlisted: only its members and invited members see it"))]
POLICY_CHOICES = [(OPEN, _l("Open: members join with a click")),
                  (REQUEST, _l("By request: coordinators approve or decline")),
                  (INVITATION, _l("By invitation only"))]


class GroupForm(FlaskForm):
    """A group's name, address, description and rules."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the group a name.")),
                                               Length(min=3, max=160)])
    slug = StringField(_l("Address"), validators=[DataRequired(_l("Choose an address.")),
                                                  Length(max=80)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Length(max=20_000)])
    visibility = RadioField(_l("Visibility"), choices=VISIBILITY_CHOICES, default=LISTED)
    join_policy = RadioField(_l("Who may join"), choices=POLICY_CHOICES, default=REQUEST)
    picture = FileField(_l("Picture (JPEG, PNG, WebP or GIF)"))


class NewGroupForm(GroupForm):
    """A new group also names its first coordinators."""

    coordinators = TextAreaField(
        _l("First coordinators"),
        validators=[DataRequired(_l("Appoint at least one coordinator."))])


class RequestForm(FlaskForm):
    """A request to join, with an optional message to the coordinators."""

    message = TextAreaField(_l("Message to the coordinators (optional)"),
                            validators=[Length(max=1000)])


class DecisionForm(FlaskForm):
    """Approving or declining a request, with an optional message."""

    message = TextAreaField(_l("Message to the member (optional)"),
                            validators=[Length(max=1000)])


class InviteForm(FlaskForm):
    """Invite a member by name or email."""

    member = StringField(_l("Member's name or email"),
                         validators=[DataRequired(_l("Name the member to invite."))])


class LeaveForm(FlaskForm):
    """Leaving; the last coordinator names a successor."""

    successor = SelectField(_l("Coordinator after you"), coerce=int, choices=[],
                            validate_choice=False)


class RoleForm(FlaskForm):
    """Change a member's role."""

    role = SelectField(_l("Role"), choices=[("member", _l("Member")),
                                           ("coordinator", _l("Coordinator"))])


class ActivityForm(FlaskForm):
    """An activity of the work plan."""

    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the activity a title.")),
                                                 Length(min=3, max=200)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Length(max=20_000)])
    status = SelectField(_l("Status"), choices=list(STATUS_LABELS.items()))
    start_date = DateField(_l("Start"), validators=[Optional()])
    due_date = DateField(_l("Due"), validators=[Optional()])
    owner_ids = SelectMultipleField(_l("Owners"), coerce=int, choices=[])
    documents = SelectMultipleField(_l("Library documents"), coerce=int, choices=[],
                                    validate_choice=False)  # the service checks each one
    links = TextAreaField(
        _l("Other links"), validators=[Length(max=2000)],
        description=_l("One per line: the kind and the number, e.g. \"topic 12\"."))


class MeetingForm(FlaskForm):
    """A group meeting."""

    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the meeting a title.")),
                                                 Length(min=3, max=200)])
    starts_local = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M",
                                      validators=[DataRequired(_l("Give the date and time."))])
    timezone = StringField(_l("Time zone"), default="UTC",
                           validators=[DataRequired(_l("Choose a time zone from the list.")),
                                       Length(max=64)])
    place = StringField(_l("Place"), validators=[Length(max=200)])
    online_url = StringField(_l("Online link"), validators=[Length(max=500)])
    agenda = TextAreaField(_l("Agenda (Markdown)"), validators=[Length(max=20_000)])
    minutes_document_id = IntegerField(_l("Minutes"), validators=[Optional()])
