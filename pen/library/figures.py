"""The text-extraction outbox in figures, for ``/metrics``."""

from sqlalchemy import func, select

from ..extensions import db
from ..metrics import Figure
from ..types import utcnow
from .models import FAILED, PENDING, RUNNING, Version


def extraction_figures() -> list[Figure]:
    """Files waiting for their text (and the oldest one's age), and files that failed."""
    waiting, oldest = db.session.execute(
        select(func.count(Version.id), func.min(Version.created_at))
        .where(Version.extraction.in_((PENDING, RUNNING)))).one()
    failed = db.session.scalar(select(func.count(Version.id))
                               .where(Version.extraction == FAILED))
    age = (utcnow() - oldest).total_seconds() if oldest else 0.0
    return [
        Figure("pen_extraction_waiting", "Library files waiting for their text.", waiting),
        Figure("pen_extraction_oldest_seconds", "Age of the oldest file waiting.", age),
        Figure("pen_extraction_failed", "Library files whose text could not be read.", failed),
    ]
