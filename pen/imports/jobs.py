"""Imports started on the web: upload, confirm, the worker's pass, progress and report.

An upload is checked as a whole (``Kind.check``) before anything is kept, then
stored under ``UPLOADS_DIR/imports/`` and previewed; once confirmed, the worker
imports it in ONE transaction together with the job's report, so an import
either completes (its refused lines reported) or, if it fails as a whole,
changes nothing. Since the import's own transaction cannot also write its
progress (SQLite has a single writer), progress goes to a small file beside the
upload, which every server reads (uploads are on shared storage).
"""

import csv
import io
import json
import os
from collections import Counter
from dataclasses import asdict
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from .. import audit, files, spreadsheet
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..types import utcnow
from .kinds import Kind, Line, kind_for
from .models import DONE, FAILED, QUEUED, RUNNING, UPLOADED, ImportJob

AREA = "imports"
STALE_AFTER = timedelta(hours=2)  # a job "running" this long lost its worker
PROGRESS_STEPS = 100  # the progress file is written about this many times per import


def create(actor, kind: Kind, filename: str, stream) -> ImportJob:
    """Keep an upload the kind can read and open a job for it; Refused if it cannot."""
    if not kind.permitted(actor):
        raise Forbidden(_("You may not import this."))
    stored, total = _receive(kind, filename, stream)
    job = ImportJob(kind=kind.name, status=UPLOADED, filename=files.safe_filename(filename),
                    stored_name=stored, total=total, created_by_id=actor.id)
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "import.upload", job, kind=kind.name, filename=job.filename,
                 lines=total)
    db.session.commit()
    return job


def _receive(kind: Kind, filename: str, stream) -> tuple[str, int]:
    """(stored name, lines) of an upload the kind can import; nothing is kept otherwise."""
    if not (filename or "").lower().endswith(kind.suffix):
        raise ValidationError(_("Choose a %(suffix)s file.", suffix=kind.suffix), field="file")
    max_bytes = int(float(current_app.config["IMPORT_MAX_MB"]) * 2**20)
    try:
        received = files.receive(AREA, stream, max_bytes)
    except files.UploadRefused as exc:
        raise ValidationError(exc.message, field="file") from exc
    try:
        total = kind.check(received.path)
        return received.keep(kind.suffix), total
    finally:
        received.discard()


def confirm(actor, kind: Kind, job: ImportJob, options: dict) -> None:
    """Queue a previewed import for the worker, with the options chosen."""
    if not kind.permitted(actor):
        raise Forbidden(_("You may not import this."))
    if job.status != UPLOADED:
        raise ValidationError(_("This import was confirmed already."))
    job.options_json = json.dumps(options)
    job.status = QUEUED
    audit.record(actor, "import.confirm", job, kind=job.kind, **options)
    db.session.commit()


def discard(actor, kind: Kind, job: ImportJob) -> None:
    """Drop an upload that was previewed but not confirmed, and its file."""
    if not kind.permitted(actor):
        raise Forbidden(_("You may not import this."))
    if job.status != UPLOADED:
        raise ValidationError(_("Only an import that was not confirmed can be dropped."))
    files.delete(AREA, job.stored_name)
    audit.record(actor, "import.discard", job, kind=job.kind, filename=job.filename)
    db.session.delete(job)
    db.session.commit()


def path_of(job: ImportJob):
    """Where the job's upload is stored."""
    return files.path_of(AREA, job.stored_name)


# --- The worker's side -----------------------------------------------------------------

def run_pending() -> int:
    """The ``imports`` worker task: run the oldest confirmed import; how many ran (0 or 1)."""
    _fail_stale()
    job_id = db.session.scalar(select(ImportJob.id).where(ImportJob.status == QUEUED)
                               .order_by(ImportJob.id).limit(1))
    if job_id is None or not _claim(job_id):
        return 0
    run(db.session.get(ImportJob, job_id))
    return 1


def _claim(job_id: int) -> bool:
    """Mark a job running, unless another worker took it first."""
    claimed = db.session.execute(update(ImportJob).where(ImportJob.id == job_id,
                                                         ImportJob.status == QUEUED)
                                 .values(status=RUNNING, started_at=utcnow()))
    db.session.commit()
    return claimed.rowcount == 1


def _fail_stale() -> None:
    """A job left running by a worker that died committed nothing: say so."""
    stale = utcnow() - STALE_AFTER
    db.session.execute(update(ImportJob).where(ImportJob.status == RUNNING,
                                               or_(ImportJob.started_at.is_(None),
                                                   ImportJob.started_at < stale))
                       .values(status=FAILED, finished_at=utcnow(),
                               error="The worker stopped during the import; nothing was "
                                     "changed. Upload the file again."))
    db.session.commit()


def run(job: ImportJob) -> None:
    """Import a claimed job in one transaction with its report; on failure change nothing."""
    kind, job_id = kind_for(job.kind), job.id
    try:
        lines = kind.run(path_of(job), job.options, job.created_by_id, _progress(job))
    except Exception as exc:
        db.session.rollback()
        _failed(job_id, exc)
        return
    _done(job, kind, lines)


def _done(job: ImportJob, kind: Kind, lines: list[Line]) -> None:
    """Store the report beside the import and commit both; drop the upload."""
    totals = Counter(line.outcome for line in lines)
    job.status, job.finished_at = DONE, utcnow()
    job.totals_json = json.dumps({o: totals.get(o, 0) for o in kind.outcomes or totals})
    job.report_json = json.dumps([asdict(line) for line in lines])
    audit.record(None, "import.done", job, kind=job.kind, **dict(totals))
    db.session.commit()
    _cleanup(job)


def _failed(job_id: int, exc: Exception) -> None:
    """Record why a whole import failed (its changes were rolled back)."""
    if isinstance(exc, ValidationError):
        reason = str(exc.message)
    else:
        current_app.logger.exception("import %s failed", job_id)
        reason = "The import stopped on an unexpected error; nothing was changed."
    job = db.session.get(ImportJob, job_id)
    job.status, job.finished_at, job.error = FAILED, utcnow(), reason
    db.session.commit()
    _cleanup(job)


def _cleanup(job: ImportJob) -> None:
    """Remove the upload and its progress file; the report stays in the database."""
    files.delete(AREA, job.stored_name)
    _progress_path(job).unlink(missing_ok=True)


# --- Progress and report ------------------------------------------------------------------

def _progress_path(job: ImportJob):
    """The small file holding how many lines a running import has done."""
    return files.upload_dir(AREA) / f"{job.stored_name}.progress"


def _progress(job: ImportJob):
    """A ``progress(n)`` callback writing lines done to the job's progress file, now and then."""
    path, total, step = _progress_path(job), job.total, max(1, job.total // PROGRESS_STEPS)
    state = {"done": 0}

    def advance(count: int = 1) -> None:
        """Count lines; rewrite the file (atomically) about every 1% and at the end."""
        before = state["done"] // step
        state["done"] += count
        if state["done"] // step != before or state["done"] >= total:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(str(state["done"]))
            os.replace(tmp, path)

    return advance


def progress(job: ImportJob) -> dict:
    """Where a job stands, for the page and its JSON endpoint."""
    done = job.total if job.status == DONE else 0
    if job.status == RUNNING:
        try:
            done = int(_progress_path(job).read_text() or 0)
        except (OSError, ValueError):
            done = 0
    percent = 100 if job.status == DONE else int(100 * done / job.total) if job.total else 0
    return {"status": job.status, "done": done, "total": job.total, "percent": percent}


def report_csv(job: ImportJob) -> str:
    """The report as CSV: line, item, outcome, detail (cells safe for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "item", "outcome", "detail"])
    for line in job.report:
        writer.writerow([line["line"], spreadsheet.safe_cell(line["item"]), line["outcome"],
                         spreadsheet.safe_cell(line["detail"])])
    return out.getvalue()
