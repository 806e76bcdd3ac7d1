"""What failed, in one place: the sections of the administrators' page, registered per app.

Each area that can fail quietly (mail not delivered, text not extracted, an import
that stopped) registers a ``Section``: a title, a template that prints its rows, and
a function returning how many there are and the newest ones. The page
(``admin/failure_views.py``) shows every registered section; adding one is a
``register_section`` call in the area's ``register(app)``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .extensions import db
from .imports.models import FAILED, ImportJob
from .mail import MailMessage

_SECTIONS_KEY = "pen.failure_sections"
SHOWN = 50  # rows a section shows, newest first


@dataclass
class Section:
    """One kind of failure: ``rows(limit)`` returns (how many in all, the newest ``limit``)."""

    key: str
    title: str
    template: str
    rows: Callable[[int], tuple[int, list]]
    order: int = 50


def register_section(app: Flask, section: Section) -> None:
    """Add a section to the page (one per key)."""
    app.extensions.setdefault(_SECTIONS_KEY, {})[section.key] = section


def sections() -> list[Section]:
    """The current app's sections, in their order."""
    return sorted(current_app.extensions.get(_SECTIONS_KEY, {}).values(),
                  key=lambda s: (s.order, s.key))


def failed_mail(limit: int) -> tuple[int, list[MailMessage]]:
    """Messages the outbox gave up on, newest first, with their last error."""
    where = MailMessage.status == "failed"
    total = db.session.scalar(select(func.count()).select_from(MailMessage).where(where))
    rows = db.session.scalars(select(MailMessage).where(where)
                              .order_by(MailMessage.id.desc()).limit(limit))
    return total, list(rows)


def failed_imports(limit: int) -> tuple[int, list[ImportJob]]:
    """Imports that failed as a whole, newest first (their reports are on the imports page)."""
    where = ImportJob.status == FAILED
    total = db.session.scalar(select(func.count()).select_from(ImportJob).where(where))
    rows = db.session.scalars(select(ImportJob).where(where)
                              .order_by(ImportJob.id.desc()).limit(limit))
    return total, list(rows)


def register(app: Flask) -> None:
    """The core's sections: mail not delivered, imports that failed."""
    register_section(app, Section("mail", _l("Mail that could not be delivered"),
                                  "admin/failures/_mail.html", failed_mail, order=20))
    register_section(app, Section("imports", _l("Imports that failed"),
                                  "admin/failures/_imports.html", failed_imports, order=30))
