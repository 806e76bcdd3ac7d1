"""Message forms: what they check is repeated by the service, which has the last word."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from .models import WRITE_EVERYONE, WRITE_GROUPS, WRITE_NOBODY
from .writing import BODY_MAX, SUBJECT_MAX, Upload


def _body_field():
    return TextAreaField(_l("Your message"), validators=[
        DataRequired(_l("Write something first.")),
        Length(max=BODY_MAX, message=_l("Your text has %(length)d characters; the limit is "
                                        "%(max)d."))])


class MessageForm(FlaskForm):
    """A message in a conversation: text and files."""

    body = _body_field()
    attachments = MultipleFileField(_l("Attach files"))
    submit = SubmitField(_l("Send"))


class NewConversationForm(MessageForm):
    """A new conversation: who else, a subject, the first message."""

    others = TextAreaField(_l("Also write to"), validators=[Length(max=4000)])
    subject = StringField(_l("Subject"), validators=[
        DataRequired(_l("Give the conversation a subject.")), Length(max=SUBJECT_MAX)])


class AddParticipantForm(FlaskForm):
    """Bring a member into a conversation, by name."""

    member = StringField(_l("Member's name"), validators=[
        DataRequired(_l("Write the member's name.")), Length(max=200)])


class ReportForm(FlaskForm):
    """Why a message is reported."""

    reason = TextAreaField(_l("What is wrong with this message?"), validators=[
        DataRequired(_l("Say what is wrong.")),
        Length(min=3, max=1000, message=_l("Use 3 to %(max)d characters."))])


class WhoMayWriteForm(FlaskForm):
    """Who may start a conversation with the member."""

    who = RadioField(_l("Who may start a conversation with me"), choices=[
        (WRITE_EVERYONE, _l("Every member")),
        (WRITE_GROUPS, _l("Members of my thematic groups")),
        (WRITE_NOBODY, _l("Nobody (administrators of the Secretariat always can)")),
    ])


def uploads_from(form: MessageForm) -> list[Upload]:
    """The files of the form as ``Upload`` values (empty file inputs are skipped)."""
    return [Upload(f.filename or "", f.read()) for f in (form.attachments.data or [])
            if getattr(f, "filename", "")]
