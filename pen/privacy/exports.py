"""Download my data: what the member wrote and gave, as JSON and files, in one zip.

The request is a row; the worker prepares the zip (``prepare``) and mails a link that
works for the member, signed in, for ``DATA_EXPORT_DAYS``. Areas above this one say
what they hold of a member by registering a section (``register_section``): a
function ``(user) -> (records, files)`` where files are ``(area, stored_name, name)``.
This module knows no area.
"""

import json
import zipfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, files, i18n, mail
from ..auth.models import User
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..notifications.service import absolute_url, path_for
from ..tokens import digest, new_token
from ..types import utcnow
from .models import FAILED, QUEUED, READY, DataExport

_SECTIONS_KEY = "pen.privacy_sections"


def register_section(app, name: str, collect) -> None:
    """Add a section to every export: ``collect(user) -> (records, files)``."""
    app.extensions.setdefault(_SECTIONS_KEY, {})[name] = collect


def request_export(user) -> DataExport:
    """Queue an export of the member's data (one at a time); audited."""
    waiting = db.session.scalar(select(DataExport.id).where(
        DataExport.user_id == user.id, DataExport.status == QUEUED).limit(1))
    if waiting is not None:
        raise ValidationError(_("Your data is already being prepared; a link will come by "
                                "email."))
    found = DataExport(user_id=user.id)
    db.session.add(found)
    db.session.flush()
    audit.record(user, "privacy.export_requested", found)
    db.session.commit()
    return found


def exports_of(user) -> list[DataExport]:
    """The member's exports, newest first."""
    return list(db.session.scalars(select(DataExport).where(DataExport.user_id == user.id)
                                   .order_by(DataExport.created_at.desc(),
                                             DataExport.id.desc())))


def folder() -> Path:
    """Where prepared exports are kept (created if needed)."""
    path = Path(current_app.config["DATA_DIR"]) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def collect(user: User) -> tuple[dict, list[tuple[str, str, str]]]:
    """Every registered section of the member's data, and the files they name."""
    data, wanted = {}, []
    for name, section in current_app.extensions.get(_SECTIONS_KEY, {}).items():
        records, found = section(user)
        data[name] = records
        wanted += [(area, stored, f"files/{name}/{label}") for area, stored, label in found]
    return data, wanted


def _write_zip(path: Path, data: dict, wanted: list) -> None:
    """The zip: ``data.json`` and the files (a file gone missing is listed, not fatal)."""
    missing = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for area, stored, name in wanted:
            source = files.path_of(area, stored)
            if source.is_file():
                archive.write(source, name)
            else:
                missing.append(name)
        data["files_missing"] = missing
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2,
                                                 default=str))


def prepare() -> int:
    """Worker task: build each queued export, then mail its link. How many were built."""
    queued = list(db.session.scalars(select(DataExport).where(DataExport.status == QUEUED)
                                     .order_by(DataExport.id).limit(5)))
    for found in queued:
        _prepare_one(found)
    return len(queued)


def _prepare_one(found: DataExport) -> None:
    """Build one export; a failure is recorded, the others go on."""
    user = db.session.get(User, found.user_id)
    token, token_digest = new_token()
    name = f"{token_digest[:32]}.zip"
    try:
        _write_zip(folder() / name, *collect(user))
    except Exception:
        current_app.logger.exception("data export %s failed", found.id)
        found.status = FAILED
        db.session.commit()
        return
    days = int(current_app.config["DATA_EXPORT_DAYS"])
    found.status, found.token_digest, found.stored_name = READY, token_digest, name
    found.size = (folder() / name).stat().st_size
    found.ready_at, found.expires_at = utcnow(), utcnow() + timedelta(days=days)
    _mail_link(user, token, days)
    db.session.commit()


def _mail_link(user: User, token: str, days: int) -> None:
    """Tell the member their data is ready, in their language."""
    link = absolute_url(path_for("privacy.download", token=token))
    with i18n.for_recipient(user):
        mail.queue_template(user.email, _("Your PEN data is ready to download"),
                            "data_export", user=user, link=link, days=days)


def ready_file(user, token: str) -> tuple[DataExport, Path]:
    """The member's own ready export for this link; anyone else's, or an expired one, 404."""
    found = db.session.scalar(select(DataExport).where(
        DataExport.token_digest == digest(token)))
    if (found is None or found.user_id != user.id or found.status != READY
            or found.expires_at <= utcnow()):
        raise NotFound()
    path = folder() / found.stored_name
    if not path.is_file():
        raise NotFound()
    return found, path
