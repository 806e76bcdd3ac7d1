"""Forms of the import pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField


class UploadForm(FlaskForm):
    """The file to preview."""

    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])


class ConfirmForm(FlaskForm):
    """What the administrator chooses before the import runs (the member list's cohort)."""

    cohort = SelectField(_l("Add the imported members to the cohort"), choices=[],
                         default="", validate_choice=True)
