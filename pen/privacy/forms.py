"""The privacy notice's editor."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class NoticeForm(FlaskForm):
    """The notice, in Markdown."""

    body = TextAreaField(_l("Privacy notice"), validators=[DataRequired(), Length(max=50_000)])
