"""The library's pages: home with search and facets, documents, uploads, edits, downloads."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import errorpages, files
from ..errors import StorageFull, ValidationError
from ..extensions import db
from ..groups.models import Group
from ..members import countries
from . import browse, permissions, preview, service
from .forms import EditionForm, MetadataForm, UploadForm, VersionForm
from .models import Document, Version
from .vocabulary import ACCESS_LABELS, DOC_TYPES, endonym, language_choices, language_name

bp = Blueprint("library", __name__, url_prefix="/library")


def document_or_404(document_id: int) -> Document:
    """The edition, or 404 if there is none or the member may not open it."""
    document = db.session.get(Document, document_id)
    if document is None or not permissions.can_view_document(current_user, document):
        abort(404)
    return document


@bp.context_processor
def vocabulary():
    """Labels every library template prints."""
    return {"doc_types": DOC_TYPES, "language_name": language_name, "endonym": endonym,
            "access_labels": ACCESS_LABELS, "country_name": countries.name}


@bp.get("/")
def index():
    """Newest documents (or search results) with facet counts."""
    params = browse.Params.from_args(request.args)
    found = browse.find(current_user, params)
    return render_template("library/index.html", params=params, found=found,
                           facet_names=_facet_names())


def _facet_names() -> dict[str, str]:
    """The headings of the facets."""
    return {"doc_type": _("Type"), "language": _("Language"), "year": _("Year"),
            "topic": _("Topic"), "group": _("Group")}


@bp.get("/<int:document_id>")
def document(document_id: int):
    """A document: metadata, editions, versions, preview, download, similar documents."""
    found = document_or_404(document_id)
    group = db.session.get(Group, found.work.group_id) if found.work.group_id else None
    return render_template("library/document.html", document=found, group=group,
                           editions=browse.editions_for_reader(current_user, found),
                           preview=preview.first_pages(found.current),
                           similar=browse.more_like_this(current_user, found))


@bp.get("/<int:document_id>/download")
def download(document_id: int):
    """The current version of a document, as an attachment under its original name."""
    found = document_or_404(document_id)
    if found.current is None:
        abort(404)
    return _send(found.current)


@bp.get("/<int:document_id>/versions/<int:number>/download")
def download_version(document_id: int, number: int):
    """An older (or the current) version of a document."""
    found = document_or_404(document_id)
    version = db.session.scalar(select(Version).where(Version.document_id == found.id,
                                                      Version.number == number))
    if version is None:
        abort(404)
    return _send(version)


def _send(version: Version):
    """The file with its own Content-Type, as an attachment; the download is counted."""
    path = files.path_of(service.AREA, version.stored_name)
    if not path.exists():
        abort(404)
    service.record_download(version)
    response = send_file(path, mimetype=version.content_type, as_attachment=True,
                         download_name=files.safe_filename(version.filename),
                         conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _apply(form, action):
    """Run a service call; a ValidationError goes beside its field. None on failure."""
    try:
        return action()
    except service.Duplicate as exc:
        db.session.rollback()
        form.file.errors = [*form.file.errors, exc.message]
        return exc
    except ValidationError as exc:
        db.session.rollback()
        field = getattr(form, exc.field or "file", None) or getattr(form, "file", form.title)
        field.errors = [*field.errors, exc.message]
        return exc if isinstance(exc, StorageFull) else None


def _upload_of(form):
    """(original name, stream) of the form's file; an empty name when none was chosen."""
    data = form.file.data
    if data is None or isinstance(data, str):
        return "", None
    return data.filename or "", data.stream


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    """Share a document with the network, a group or the administrators."""
    if not permissions.can_upload(current_user):
        abort(403)
    form = UploadForm()
    form.fill_choices(current_user)
    duplicate = result = None
    if form.validate_on_submit():
        name, stream = _upload_of(form)
        result = _apply(form, lambda: service.upload(
            current_user, form.metadata(), name, stream, allow_duplicate=form.duplicate_ok.data))
        if isinstance(result, Document):
            flash(_("The document is in the library; its text is being extracted."), "success")
            return redirect(url_for(".document", document_id=result.id))
        duplicate = getattr(result, "document", None)
    status = 400 if request.method == "POST" else 200
    headers = {}
    if isinstance(result, StorageFull):  # the disk is full: what was typed stays in the form
        status, headers = 503, {"Retry-After": str(errorpages.RETRY_SECONDS)}
    return render_template("library/upload.html", form=form, duplicate=duplicate), status, headers


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id: int):
    """Change a document's metadata and who may open it."""
    found = document_or_404(document_id)
    if not permissions.can_edit_document(current_user, found):
        abort(403)
    form = MetadataForm()
    form.fill_choices(current_user)
    if request.method == "GET":
        form.load(found)
    elif form.validate_on_submit() and _apply(form, lambda: service.update_metadata(
            current_user, found, form.metadata())):
        flash(_("Saved."), "success")
        return redirect(url_for(".document", document_id=found.id))
    status = 400 if request.method == "POST" else 200
    return render_template("library/edit.html", form=form, document=found), status


@bp.route("/<int:document_id>/editions/new", methods=["GET", "POST"])
def new_edition(document_id: int):
    """Add the document in another language."""
    found = document_or_404(document_id)
    if not permissions.can_edit_document(current_user, found):
        abort(403)
    form = EditionForm()
    taken = {d.language for d in found.work.editions}
    form.language.choices = [("", _("Choose…")),
                             *((c, n) for c, n in language_choices() if c not in taken)]
    duplicate = None
    if form.validate_on_submit():
        name, stream = _upload_of(form)
        result = _apply(form, lambda: service.add_edition(
            current_user, found, form.language.data, form.title.data, form.description.data,
            name, stream, allow_duplicate=form.duplicate_ok.data))
        if isinstance(result, Document):
            edition = next(d for d in result.work.editions if d.language == form.language.data)
            return redirect(url_for(".document", document_id=edition.id))
        duplicate = getattr(result, "document", None)
    status = 400 if request.method == "POST" else 200
    return render_template("library/edition.html", form=form, document=found,
                           duplicate=duplicate), status


@bp.route("/<int:document_id>/versions/new", methods=["GET", "POST"])
def new_version(document_id: int):
    """Upload a new file for a document; the old ones stay downloadable."""
    found = document_or_404(document_id)
    if not permissions.can_add_version(current_user, found):
        abort(403)
    form = VersionForm()
    duplicate = None
    if form.validate_on_submit():
        name, stream = _upload_of(form)
        result = _apply(form, lambda: service.add_version(
            current_user, found, name, stream, form.note.data,
            allow_duplicate=form.duplicate_ok.data))
        if isinstance(result, Document):
            flash(_("The new version is the default download now."), "success")
            return redirect(url_for(".document", document_id=found.id))
        duplicate = getattr(result, "document", None)
    status = 400 if request.method == "POST" else 200
    return render_template("library/version.html", form=form, document=found,
                           duplicate=duplicate), status
