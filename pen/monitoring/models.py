"""What the platform's watch remembers: incidents (open and cleared) and hourly samples."""

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime, utcnow


class Incident(db.Model):
    """Something unwell, from the check that first failed until it passes again.

    At most one incident per check is open: a partial unique index makes a second
    server's worker, finding the same fault at the same moment, lose the race
    instead of mailing the administrators twice.
    """

    __tablename__ = "monitoring_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))  # the check's name
    detail: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    __table_args__ = (
        Index("uq_monitoring_incidents_open_name", "name", unique=True,
              sqlite_where=cleared_at.is_(None), postgresql_where=cleared_at.is_(None)),
    )


class HealthSample(db.Model):
    """One figure at one hour, for the System health chart of the last days."""

    __tablename__ = "monitoring_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    name: Mapped[str] = mapped_column(String(80))
    value: Mapped[float]
