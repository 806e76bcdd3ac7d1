"""Library forms: what they check is repeated by the service, which has the last word."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    FileField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..extensions import db
from ..groups.models import Group
from ..groups.permissions import group_content_clause
from ..members import countries
from ..members.models import ExpertiseArea
from ..vocabulary import label as vocab
from .service import DESCRIPTION_MAX, NOTE_MAX, TITLE_MAX, Metadata
from .vocabulary import ACCESS_LABELS, DOC_TYPES, language_choices


class _Checkboxes(SelectMultipleField):
    """A multiple choice shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _title_field(label):
    """A required title of at most ``TITLE_MAX`` characters."""
    return StringField(label, validators=[DataRequired(_l("Give the document a title.")),
                                          Length(max=TITLE_MAX)])


class MetadataForm(FlaskForm):
    """Title, description, authors, type, language, year, topics, country, access."""

    title = _title_field(_l("Title"))
    description = TextAreaField(_l("Description (Markdown)"),
                                validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    authors = StringField(_l("Authors"), validators=[Optional(), Length(max=300)])
    doc_type = SelectField(_l("Type of document"))
    language = SelectField(_l("Language"))
    year = IntegerField(_l("Publication year"), validators=[
        Optional(), NumberRange(1900, 2100, _l("Give a year such as 2011."))])
    topics = _Checkboxes(_l("Topics"), coerce=int)
    country = SelectField(_l("Country"))
    access = SelectField(_l("Who may open it"))
    group_id = SelectField(_l("Thematic group"), coerce=lambda v: int(v) if v else None,
                           validate_choice=False)
    submit = SubmitField(_l("Save"))

    def fill_choices(self, user) -> None:
        """The choices of the lists, some of which depend on the member."""
        self.doc_type.choices = [("", _l("Choose…")), *((k, str(v)) for k, v in DOC_TYPES.items())]
        self.language.choices = [("", _l("Choose…")), *language_choices()]
        # Plain tuples: WTForms takes a Row for a value and fails re-rendering a posted form.
        terms = db.session.execute(
            select(ExpertiseArea.id, ExpertiseArea.name).order_by(ExpertiseArea.name))
        self.topics.choices = [(key, vocab("expertise", key, name)) for key, name in terms]
        self.country.choices = [("", _l("No particular country")), *countries.choices()]
        self.access.choices = [(k, str(v)) for k, v in ACCESS_LABELS.items()]
        self.group_id.choices = [("", _l("Choose…")), *group_choices(user)]

    def metadata(self) -> Metadata:
        """The typed values as the service takes them."""
        return Metadata(title=self.title.data or "", description=self.description.data or "",
                        authors=self.authors.data or "", doc_type=self.doc_type.data or "",
                        language=self.language.data or "", year=self.year.data,
                        topic_ids=list(self.topics.data or []),
                        country=self.country.data or None, access=self.access.data or "",
                        group_id=self.group_id.data)

    def load(self, document) -> None:
        """Fill the form from an edition and its work (for editing)."""
        work = document.work
        self.title.data, self.description.data = document.title, document.description
        self.authors.data, self.doc_type.data = work.authors, work.doc_type
        self.language.data, self.year.data = document.language, work.year
        self.topics.data = [t.id for t in work.topics]
        self.country.data, self.access.data = work.country or "", work.access
        self.group_id.data = work.group_id


def group_choices(user) -> list[tuple[int, str]]:
    """The groups a member may share with: theirs (every group for administrators)."""
    query = select(Group.id, Group.name).where(group_content_clause(user)).order_by(Group.name)
    return [(gid, name) for gid, name in db.session.execute(query)]


class _FileMixin:
    """The file input and, after a duplicate, the choice to upload it anyway."""

    file = FileField(_l("File"), description=_l(
        "PDF, Word (DOCX), OpenDocument text (ODT), plain text, Markdown, Excel (XLSX), CSV "
        "or PowerPoint (PPTX)."))
    duplicate_ok = BooleanField(_l("Upload it anyway as a separate document"))


class UploadForm(_FileMixin, MetadataForm):
    """A new document: its file and metadata."""

    submit = SubmitField(_l("Upload"))


class EditionForm(_FileMixin, FlaskForm):
    """The same work in another language."""

    language = SelectField(_l("Language"))
    title = _title_field(_l("Title in that language"))
    description = TextAreaField(_l("Description (Markdown)"),
                                validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    submit = SubmitField(_l("Add edition"))


class VersionForm(_FileMixin, FlaskForm):
    """A new file for an edition."""

    note = StringField(_l("What changed"), validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Upload new version"))


class MagazineForm(FlaskForm):
    """A member's choices about the PEN magazine."""

    notify = BooleanField(_l("Tell me when an issue is published in one of my languages"))
    wants_print = BooleanField(_l("Send me printed copies"))
    print_language = SelectField(_l("Language of the printed copies"), choices=[],
                                 validate_choice=False)
    postal_address = TextAreaField(
        _l("Postal address"), validators=[Optional(), Length(max=500)],
        description=_l("Only the Secretariat's administrators see it, to post the magazine."))
    submit = SubmitField(_l("Save"))
