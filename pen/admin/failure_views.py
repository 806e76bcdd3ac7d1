"""What failed, in one place: the page of every registered ``pen.failures`` section."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import failures
from ..extensions import db
from ..library import unreadable
from ..library.models import Version
from .views import bp


@bp.get("/failures")
def failures_page():
    """Each section's count and its newest rows."""
    shown = [(section, *section.rows(failures.SHOWN)) for section in failures.sections()]
    return render_template("admin/failures/index.html", sections=shown,
                           limit=failures.SHOWN, reason=unreadable.reason)


@bp.post("/failures/extraction/<int:version_id>/retry")
def retry_extraction(version_id: int):
    """Read a file's text again (the worker does it on its next pass)."""
    version = db.get_or_404(Version, version_id)
    unreadable.retry(current_user, version)
    flash(_("The text of %(name)s will be read again in a moment.", name=version.filename),
          "success")
    return redirect(url_for(".failures_page", _anchor="extraction"))
