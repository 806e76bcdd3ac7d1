"""An import started on the web: the uploaded file, where it stands, and its report."""

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime, utcnow

# Where an import stands: uploaded (previewed, waiting for confirmation), queued for the
# worker, running, done (committed with its report) or failed (nothing was changed).
UPLOADED, QUEUED, RUNNING, DONE, FAILED = "uploaded", "queued", "running", "done", "failed"
STATUSES = (UPLOADED, QUEUED, RUNNING, DONE, FAILED)


class ImportJob(db.Model):
    """One upload of a member list or a library zip, from preview to report."""

    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_newest", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=UPLOADED, index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80))
    options_json: Mapped[str] = mapped_column(Text, default="{}")
    total: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totals_json: Mapped[str] = mapped_column(Text, default="{}")
    report_json: Mapped[str] = mapped_column(Text, default="[]")
    error: Mapped[str] = mapped_column(Text, default="")

    @property
    def options(self) -> dict:
        """What the administrator chose when confirming (a cohort…)."""
        return json.loads(self.options_json or "{}")

    @property
    def totals(self) -> dict[str, int]:
        """How many lines had each outcome."""
        return json.loads(self.totals_json or "{}")

    @property
    def report(self) -> list[dict]:
        """The report's lines: ``line``, ``item``, ``outcome``, ``detail``."""
        return json.loads(self.report_json or "[]")
