"""Forum forms: what they check is repeated by the service, which has the last word."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from .posting import BODY_MAX, TITLE_MAX, Upload

TOO_LONG = _l("Your text has %(length)d characters; the limit is %(max)d. "
              "Shorten it or attach a document instead.")


def _body_field():
    return TextAreaField(_l("Your message"), validators=[DataRequired(_l("Write something first.")),
                                            Length(max=BODY_MAX, message=TOO_LONG)])


class PostForm(FlaskForm):
    """A reply: text, attachments, and a preview before saving."""

    body = _body_field()
    attachments = MultipleFileField(_l("Attach files"))
    # The files chosen before a preview (kept_files). Hidden, so never labelled: an empty
    # label spares WTForms naming it, which read its catalogue from disk every request.
    kept_files = HiddenField("")
    preview = SubmitField(_l("Preview"))
    save_draft = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Post reply"))


class TopicForm(PostForm):
    """A new topic: a title and its first post."""

    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give the topic a title.")),
        Length(min=3, max=TITLE_MAX, message=_l("A title has 3 to %(max)d characters."))])
    tags = SelectMultipleField(_l("Tags"), coerce=int, choices=[], validators=[Optional()])
    submit = SubmitField(_l("Start topic"))


class EditForm(PostForm):
    """Editing a post (the title too, for the first post)."""

    title = StringField(_l("Title"), validators=[
        Optional(), Length(min=3, max=TITLE_MAX,
                           message=_l("A title has 3 to %(max)d characters."))])
    save_draft = None  # an edit changes a post in place: no draft
    submit = SubmitField(_l("Save changes"))


class ReasonForm(FlaskForm):
    """Why a post is reported or hidden."""

    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Say what is wrong.")),
        Length(min=3, max=1000, message=_l("Use 3 to %(max)d characters."))])


class MoveForm(FlaskForm):
    """Where a topic goes."""

    category = SelectField(_l("Category"), coerce=int)


class SplitForm(FlaskForm):
    """A reply becomes a topic of its own."""

    title = StringField(_l("Title of the new topic"), validators=[
        DataRequired(), Length(min=3, max=TITLE_MAX)])
    category = SelectField(_l("Category"), coerce=int)


class CategoryForm(FlaskForm):
    """A category's name, description and place in the list."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=2, max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    position = IntegerField(_l("Position in the list"), validators=[Optional()])


def uploads_from(form: PostForm) -> list[Upload]:
    """The files of the form as ``Upload`` values (empty file inputs are skipped)."""
    return [Upload(f.filename or "", f.read()) for f in (form.attachments.data or [])
            if getattr(f, "filename", "")]


class DeleteCategoryForm(FlaskForm):
    """Deleting a category: where its topics go, if it has any."""

    destination = SelectField(_l("Move its topics to"), coerce=int)


class TagForm(FlaskForm):
    """A new tag (moderators)."""

    name = StringField(_l("Name of the tag"), validators=[DataRequired(), Length(max=40)])
