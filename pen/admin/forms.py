"""Forms of the administration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..auth.models import RoleName, UserStatus

ROLE_LABELS = {
    RoleName.MODERATOR: _l("Moderator — moderates the discussions"),
    RoleName.COMMITTEE: _l("Advisory Committee — reviews award nominations"),
    RoleName.ADMIN: _l("Administrator — manages accounts and the site"),
}
STATUS_LABELS = {
    UserStatus.INVITED: _l("Invited"),
    UserStatus.ACTIVE: _l("Active"),
    UserStatus.SUSPENDED: _l("Suspended"),
}


class UserFilterForm(FlaskForm):
    """Search and filter the account list (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or email"), validators=[Optional(), Length(max=200)])
    status = SelectField(
        _l("Status"),
        validators=[Optional()],
        choices=[("", _l("Any")), *((s.value, label) for s, label in STATUS_LABELS.items())],
    )


class RolesForm(FlaskForm):
    """The roles an account holds beyond member."""

    roles = SelectMultipleField(
        _l("Roles"),
        choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=True,
    )


class SynonymForm(FlaskForm):
    """A group of terms that mean the same thing (one a line, or separated by commas)."""

    terms = TextAreaField(_l("Terms"), validators=[Length(max=4000)])
