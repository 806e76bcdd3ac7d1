"""Imports on the web: upload, preview, confirm, progress, report (routes of ``admin``)."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import confirm, imports
from ..errors import ValidationError
from ..extensions import db
from ..imports import jobs
from ..imports.models import DONE, UPLOADED, ImportJob
from ..onboarding import cohorts
from .import_forms import ConfirmForm, UploadForm
from .views import bp

PER_PAGE = 25
REPORT_PER_PAGE = 100


def _kind_or_404(name: str) -> imports.Kind:
    """The registered kind the current user may import, or 404."""
    kind = imports.kind_for(name)
    if kind is None or not kind.permitted(current_user):
        abort(404)
    return kind


def _job_or_404(job_id: int) -> tuple[ImportJob, imports.Kind]:
    """The job and its kind, or 404."""
    job = db.get_or_404(ImportJob, job_id)
    return job, _kind_or_404(job.kind)


def _index(errors: dict | None = None, status: int = 200):
    """The imports page: a form per kind and the imports so far, newest first."""
    page = db.paginate(select(ImportJob).order_by(ImportJob.created_at.desc(),
                                                  ImportJob.id.desc()),
                       per_page=PER_PAGE, error_out=False)
    kinds = [k for k in imports.all_kinds() if k.permitted(current_user)]
    return render_template("admin/imports/index.html", page=page, kinds=kinds,
                           forms={k.name: UploadForm(prefix=k.name) for k in kinds},
                           errors=errors or {}, max_lines=imports.max_lines()), status


@bp.url_value_preprocessor
def _larger_uploads(endpoint: str | None, _values) -> None:
    """Imports take larger files than other forms; set before the CSRF check reads the body
    (URL value preprocessors run before every ``before_request`` function)."""
    if endpoint == "admin.import_upload":
        request.max_content_length = int(float(current_app.config["IMPORT_MAX_MB"]) * 2**20)


@bp.get("/imports")
def imports_page():
    """Every import, and the forms to start one."""
    return _index()


@bp.post("/imports/<kind_name>")
def import_upload(kind_name: str):
    """Keep an uploaded file and show its preview, or say why it cannot be imported."""
    kind = _kind_or_404(kind_name)
    form = UploadForm(prefix=kind.name)
    if not form.validate_on_submit():
        return _index({kind.name: " ".join(form.file.errors) or _("Choose a file to upload.")},
                      400)
    upload = form.file.data
    try:
        job = jobs.create(current_user, kind, upload.filename, upload.stream)
    except ValidationError as exc:
        return _index({kind.name: str(exc.message)}, 400)
    return redirect(url_for(".import_job", job_id=job.id))


@bp.get("/imports/job/<int:job_id>")
def import_job(job_id: int):
    """One import: its preview before confirmation, its progress, then its report."""
    job, kind = _job_or_404(job_id)
    context = {"job": job, "kind": kind, "progress": jobs.progress(job)}
    if job.status == UPLOADED:
        try:
            context["preview"] = kind.preview(jobs.path_of(job))
        except (ValidationError, OSError) as exc:
            context["preview_error"] = str(getattr(exc, "message", exc))
        context["form"] = _confirm_form(job)
    elif job.status == DONE:
        context["lines"] = _report_page(job)
    return render_template("admin/imports/job.html", **context)


def _confirm_form(job: ImportJob, formdata=None) -> ConfirmForm:
    """The confirmation form; a member list also chooses its cohort."""
    form = ConfirmForm(formdata=formdata)
    form.cohort.choices = [("", _("None"))]
    if job.kind == "members":
        form.cohort.choices += [(c.slug, c.shown_name) for c, _size in cohorts.with_sizes()]
    return form


def _report_page(job: ImportJob) -> dict:
    """One page of the report, optionally only the lines not imported."""
    lines = job.report
    if request.args.get("lines") == "refused":
        lines = [line for line in lines if line["outcome"] in ("skipped", "refused")]
    page = max(1, request.args.get("page", 1, type=int))
    pages = max(1, -(-len(lines) // REPORT_PER_PAGE))
    return {"items": lines[(page - 1) * REPORT_PER_PAGE: page * REPORT_PER_PAGE],
            "page": min(page, pages), "pages": pages, "count": len(lines)}


@bp.post("/imports/job/<int:job_id>/confirm")
def import_confirm(job_id: int):
    """Queue the previewed import for the worker."""
    job, kind = _job_or_404(job_id)
    form = _confirm_form(job, request.form)
    if not form.validate_on_submit():
        flash(_("Choose a cohort from the list."), "danger")
        return redirect(url_for(".import_job", job_id=job.id))
    options = {"cohort": form.cohort.data} if form.cohort.data else {}
    try:
        jobs.confirm(current_user, kind, job, options)
    except ValidationError as exc:
        flash(str(exc.message), "danger")
    return redirect(url_for(".import_job", job_id=job.id))


@bp.route("/imports/job/<int:job_id>/discard", methods=["GET", "POST"])
def import_discard(job_id: int):
    """Drop a previewed upload instead of importing it, once confirmed."""
    job, kind = _job_or_404(job_id)
    page = confirm.ask(
        _("Drop the file %(name)s?", name=job.filename),
        _("Nothing of it is imported, and the uploaded file is deleted."),
        url_for(".import_job", job_id=job.id), _("Drop this file"))
    if page is not None:
        return page
    try:
        jobs.discard(current_user, kind, job)
    except ValidationError as exc:
        flash(str(exc.message), "danger")
        return redirect(url_for(".import_job", job_id=job.id))
    flash(_("The file was dropped; nothing was imported."), "success")
    return redirect(url_for(".imports_page"))


@bp.get("/imports/job/<int:job_id>/progress.json")
def import_progress(job_id: int):
    """Where the import stands, for the page's script."""
    job, _kind = _job_or_404(job_id)
    return jsonify(jobs.progress(job))


@bp.get("/imports/job/<int:job_id>/report.csv")
def import_report_csv(job_id: int):
    """The report, one line per line of the file, as a CSV download."""
    job, _kind = _job_or_404(job_id)
    if job.status != DONE:
        abort(404)
    return Response(jobs.report_csv(job), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="import-{job.id}-report.csv"'})
