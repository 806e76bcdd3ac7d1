"""Fixtures of the awards: a movable clock, the 2011 cycle, nominators, committee members.

Time never passes by sleeping: ``clock.set(...)`` moves the awards' "now"
(``AWARDS_CLOCK``), so a test stands before, in or after the deadline at will.
"""

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from pen.awards import cycles, nominating
from pen.awards.uploads import Upload
from pen.extensions import db
from pen.members.service import profile_of
from tests.conftest import login

# 1 March 2011, 23:59 in Geneva (CET, UTC+1) is 22:59 UTC; the grace runs to 23:29 UTC.
DEADLINE_UTC = datetime(2011, 3, 1, 22, 59, tzinfo=UTC)
GRACE_END_UTC = DEADLINE_UTC + timedelta(minutes=30)
DEADLINE_TEXT = "1 Mar 2011, 23:59 (Europe/Zurich)"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class Clock:
    """The awards' "now", set by the test."""

    def __init__(self, app):
        self.now = datetime(2011, 2, 1, 9, 0, tzinfo=UTC)
        app.config["AWARDS_CLOCK"] = lambda: self.now

    def set(self, moment: datetime) -> None:
        self.now = moment

    def after_deadline(self) -> None:
        """Past the grace period: intake closed, review open."""
        self.now = GRACE_END_UTC + timedelta(hours=1)


@pytest.fixture
def clock(app):
    """A clock standing on 1 February 2011, in the middle of the call."""
    return Clock(app)


def with_profile(user, organisation="", country=None):
    """Give ``user`` an organisation and a country in the directory."""
    profile = profile_of(user)
    profile.organisation, profile.country = organisation, country
    db.session.commit()
    return user


@pytest.fixture
def cycle(app, admin, clock):
    """"PEN Awards 2011": two categories, three questions, a two-criterion rubric."""
    made = cycles.create_cycle(admin, cycles.CycleInput(
        name="PEN Awards 2011", description="The call for nominations.",
        time_zone="Europe/Zurich", opens_local=datetime(2011, 1, 1, 0, 0),
        closes_local=datetime(2011, 3, 1, 23, 59), grace_minutes=30))
    cycles.add_category(admin, made, "PCB inventories", "National inventories.",
                        "Any national or regional inventory.")
    cycles.add_category(admin, made, "Maintenance of PCB-containing equipment",
                        allow_self=True)
    cycles.add_question(admin, made, "Main achievements", "text", required=True)
    cycles.add_question(admin, made, "Scale of the work", "choice",
                        choices="National\nRegional\nGlobal")
    cycles.add_question(admin, made, "Supporting document", "file")
    cycles.add_criterion(admin, made, "Impact on PCB elimination", weight=3)
    cycles.add_criterion(admin, made, "Innovation", weight=1)
    return made


def question(cycle, label):
    """The question of ``cycle`` with this label."""
    return next(q for q in cycle.questions if q.label == label)


def entry(cycle, member_text="", **changes) -> nominating.NominationInput:
    """A complete nomination of the member ``member_text`` in the first category."""
    values = dict(category_id=cycle.categories[0].id, nominee_kind="member",
                  nominee_member=member_text, statement="Led the national PCB inventory.",
                  answers={question(cycle, "Main achievements").id: "12,000 t identified"})
    values.update(changes)
    return nominating.NominationInput(**values)


def outside_entry(cycle, name="Ana González", **changes) -> nominating.NominationInput:
    """A complete nomination of someone outside the network."""
    return entry(cycle, nominee_kind="person", nominee_name=name,
                 nominee_organisation="ETESA", nominee_country="PA", **changes)


def docx_bytes(extra: dict | None = None) -> bytes:
    """A minimal Word document (a zip with the OOXML parts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pdf_upload(name="dossier.pdf", data=PDF) -> Upload:
    """A small, real PDF."""
    return Upload(name, data)


@pytest.fixture
def nominator(make_user):
    """A member from Panama who nominates."""
    return with_profile(make_user(email="carlos@etesa.example", name="Carlos Mendoza"),
                        "Ministerio de Salud", "PA")


@pytest.fixture
def nominee(make_user):
    """A member from Viet Nam, nominated."""
    return with_profile(make_user(email="lan@vea.example", name="Nguyen Thi Lan"),
                        "Viet Nam Environment Administration", "VN")


@pytest.fixture
def reviewer(make_user):
    """A committee member from Norway with no ties to the nominations."""
    return with_profile(make_user(email="ingrid@nilu.example", name="Ingrid Larsen",
                                  roles=("committee",)), "NILU", "NO")


@pytest.fixture
def second_reviewer(make_user):
    """A committee member from Switzerland."""
    return with_profile(make_user(email="hans@bafu.example", name="Hans Keller",
                                  roles=("committee",)), "BAFU", "CH")


@pytest.fixture
def submitted(cycle, nominator, nominee):
    """A submitted nomination of ``nominee`` by ``nominator``."""
    return nominating.save(nominator, cycle, entry(cycle, nominee.email), submit=True)


def signed_in(app, user):
    """A new client signed in as ``user``."""
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client
