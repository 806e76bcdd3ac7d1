"""Fixtures of applications: a filled-in form, its time stamp, the links in the outbox."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from pen.applications import service
from pen.applications.models import Application
from pen.extensions import db
from pen.groups import service as groups
from pen.groups.service import GroupFields
from pen.mail import MailMessage
from pen.types import utcnow

CONFIRM_LINK = re.compile(r"https?://[^\s<>\"]+/apply/confirm/[A-Za-z0-9_\-]{20,}")
ANSWER_LINK = re.compile(r"https?://[^\s<>\"]+/apply/answer/[A-Za-z0-9_\-]{20,}")


def old_stamp(seconds: int = 60) -> str:
    """The stamp of a form shown ``seconds`` ago: a person's pace, no waiting in the test."""
    return service.form_stamp(utcnow() - timedelta(seconds=seconds))


def form_data(**overrides) -> dict:
    """What a person applying fills in, as the browser posts it."""
    data = {
        "name": "Ana María Pérez", "email": "ana.perez@example.org",
        "organisation": "Ministerio del Ambiente", "organisation_type": "government",
        "country": "EC", "convention_role": "expert", "languages": ["es", "en"],
        "motivation": "I run the national PCB inventory and want to learn from others.",
        "expertise_text": "Transformer sampling", "locale": "es", "stamp": old_stamp(),
        "website": "",
    }
    data.update(overrides)
    return data


def submission(**overrides) -> service.Submission:
    """The same application as the service takes it."""
    data = form_data(**overrides)
    for name in ("stamp", "website"):
        data.pop(name)
    data.setdefault("group_ids", data.pop("groups", []))
    return service.Submission(**data)


def path_of(link: str) -> str:
    """A link's path, for the test client."""
    return urlsplit(link).path


def links(pattern, to: str) -> list[str]:
    """The links of this kind in the outbox's mail to one address, oldest first."""
    rows = db.session.scalars(select(MailMessage).where(MailMessage.to_addr == to)
                              .order_by(MailMessage.id))
    return [link for row in rows for link in pattern.findall(row.body_text)]


def token_of(link: str) -> str:
    """The token at the end of a link."""
    return path_of(link).rsplit("/", 1)[1]


def applications() -> list[Application]:
    """Every application row, read afresh."""
    db.session.expire_all()
    return list(db.session.scalars(select(Application).order_by(Application.id)))


@pytest.fixture
def confirmed(app):
    """``confirmed(**overrides)``: an application submitted and confirmed, in the queue."""

    def make(**overrides):
        sub = submission(**overrides)
        service.submit(sub)
        token = token_of(links(CONFIRM_LINK, sub.email)[-1])
        return service.confirm(token)

    return make


@pytest.fixture
def thematic_group(admin, make_user):
    """A listed group taking requests, with its coordinator."""
    coordinator = make_user(email="kofi.mensah@example.org", name="Kofi Mensah")
    fields = GroupFields("Maintenance of PCB-containing equipment", "pcb-maintenance",
                         "Transformers.", "listed", "request")
    return groups.create_group(admin, fields, [coordinator])
