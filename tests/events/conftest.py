"""Fixtures of the events: a coordinator's group, OCPs, an event factory."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from pen.auth.system import SYSTEM
from pen.events import service
from pen.events.service import EventFields, SessionTimes
from pen.extensions import db
from pen.groups import service as groups
from pen.groups.service import GroupFields
from pen.mail import MailMessage
from pen.members import designations
from pen.members.service import profile_of
from pen.types import utcnow


def with_profile(user, country=None, role=None, timezone=None, since=date(2010, 1, 1),
                 until=None):
    """Give ``user`` a country, a designation recorded by the Secretariat, a time zone."""
    profile = profile_of(user)
    profile.country, profile.timezone = country, timezone
    db.session.commit()
    if role:
        designations.record(SYSTEM, user, role, country, since, until)
    return user


@pytest.fixture
def coordinator(make_user):
    """The coordinator of the maintenance group."""
    return make_user(email="carmen.rodriguez@example.org", name="Carmen Rodriguez")


@pytest.fixture
def group(admin, coordinator):
    """The maintenance group (its coordinator is its only member)."""
    fields = GroupFields("Maintenance of PCB-containing equipment", "pcb-maintenance",
                         "We met in Panama City.", "listed", "request")
    return groups.create_group(admin, fields, [coordinator])


def fields(title="Webinars on Endosulfan", days=(16, 18, 23, 25), month=2, year=2011,
           zone="Europe/Zurich", **changes) -> EventFields:
    """One-hour sessions at 14:00 on the given days."""
    sessions = [SessionTimes(datetime(year, month, d, 14, 0), datetime(year, month, d, 15, 0))
                for d in days]
    values = {"kind": "webinar", "audience": ["ocp", "nfp", "other"]}
    values.update(changes)
    return EventFields(title, values.pop("kind"), zone, sessions, **values)


def future_fields(title="Regional workshop on PCB inventories", in_days=10, **changes):
    """An event ``in_days`` from now, 09:00-17:00 UTC."""
    day = (utcnow() + timedelta(days=in_days)).date()
    start = datetime(day.year, day.month, day.day, 9, 0)
    values = {"kind": "workshop", "registration": "open"}
    values.update(changes)
    return EventFields(title, values.pop("kind"), values.pop("zone", "UTC"),
                       [SessionTimes(start, start.replace(hour=17))], **values)


@pytest.fixture
def make_event(admin):
    """``make_event(fields)``: an event organised by the administrator."""

    def make(event_fields=None, actor=None):
        return service.create_event(actor or admin, event_fields or fields())

    return make


def mails_to(address: str) -> list[MailMessage]:
    """The messages queued for ``address``, oldest first."""
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to_addr == address)
                                   .order_by(MailMessage.id)))
