"""Forms of the second step: a sign-in code, enrolment, recovery codes, turning it off."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    """A code from the authenticator app, or a recovery code."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    remember_device = BooleanField(_l("Do not ask again on this browser"))


class ConfirmForm(FlaskForm):
    """The first code, proving the app holds the secret."""

    code = StringField(_l("Code from the app"), validators=[DataRequired(), Length(max=32)])


class PasswordConfirmForm(FlaskForm):
    """The current password, before new recovery codes or turning the second step off."""

    password = PasswordField(_l("Current password"), validators=[DataRequired()])
