"""The privacy notice's editor."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, TextAreaField
from wtforms.validators import DataRequired, Length


class NoticeForm(FlaskForm):
    """The notice, in Markdown."""

    body = TextAreaField(_l("Privacy notice"), validators=[DataRequired(), Length(max=50_000)])


class CloseForm(FlaskForm):
    """Closing the account, confirmed by the password."""

    password = PasswordField(_l("Your password"), validators=[DataRequired()])
