"""Demo content: the newsletter's 2011 calendar, plus what is coming up now.

The 2011 entries come from the calendar in the PEN newsletter (webinars on
Endosulfan and on NIPs, the Panama City workshop, the regional synergies
workshops in Cairo and Dakar, COP-5 in Geneva); the upcoming ones let a visitor
register, join a waiting list and see the endorsement queue. ``seed`` adds only
what is missing.
"""

from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..groups.models import Group
from ..library.models import Document
from ..members.models import Profile
from ..types import utcnow
from . import registration, service
from .models import Event
from .service import EventFields, SessionTimes

GENEVA, PANAMA, CAIRO, DAKAR = "Europe/Zurich", "America/Panama", "Africa/Cairo", "Africa/Dakar"
COLOMBO, BANGKOK = "Asia/Colombo", "Asia/Bangkok"
ASIA_WORKSHOP = "Asia-Pacific workshop on PCB waste management"
WEBINAR_NOTE = "Session duration: 1 hour. Please visit www.pops.int to join."
SYNERGIES = ("Regional Synergies Workshop on Enhancing Cooperation and Coordination for the "
             "Implementation of the Basel, Rotterdam and Stockholm Conventions")


def _hours(day: str, start: str, hours: int = 1) -> SessionTimes:
    """A session of ``hours`` hours from ``start`` on ``day``."""
    begin = datetime.fromisoformat(f"{day} {start}")
    return SessionTimes(begin, begin + timedelta(hours=hours))


def _days(first: str, last: str) -> SessionTimes:
    """Days of a workshop, 09:00 on the first to 17:00 on the last."""
    return SessionTimes(datetime.fromisoformat(f"{first} 09:00"),
                        datetime.fromisoformat(f"{last} 17:00"))


def calendar_2011() -> list[EventFields]:
    """The newsletter's calendar of activities for early 2011."""
    stakeholders = ["ocp", "nfp", "other"]
    return [
        EventFields("Capacity-building workshop on the POPRC and the CRC", "workshop", COLOMBO,
                    [_days("2011-01-19", "2011-01-21")],
                    "Organised jointly by the Secretariats of the Stockholm and Rotterdam "
                    "Conventions to help Parties take part in the work of the **POPs Review "
                    "Committee** and the **Chemical Review Committee**.",
                    venue="Colombo, Sri Lanka", audience=["ocp", "nfp"],
                    region="Asia-Pacific", registration="ocp"),
        EventFields("Webinars on Endosulfan", "webinar", GENEVA,
                    [_hours(f"2011-02-{d}", "14:00") for d in (16, 18, 23, 25)],
                    "Considering the listing of Endosulfan at COP-5, and understanding its risks "
                    f"and management options. {WEBINAR_NOTE}", online_url="https://www.pops.int",
                    audience=stakeholders, registration="open"),
        EventFields("1st Meeting of the PEN Thematic Group on Maintenance of PCB-containing "
                    "equipment and Workshop on the Environmentally Sound Management of POPs "
                    "wastes and PCBs", "workshop", PANAMA, [_days("2011-02-15", "2011-02-18")],
                    "The thematic group's first meeting, held together with the workshop.",
                    venue="Panama City, Panama", audience=["ocp", "nfp"],
                    audience_note="OCPs and NFPs from Central America",
                    region="Latin America and the Caribbean", registration="ocp"),
        EventFields("Webinars on the process for reviewing and updating National "
                    "Implementation Plans (NIPs)", "webinar", GENEVA,
                    [_hours("2011-03-02", "14:00"), _hours("2011-03-04", "14:00")], WEBINAR_NOTE,
                    online_url="https://www.pops.int", audience=stakeholders,
                    registration="open"),
        EventFields("Webinar on the preparation for COP-5", "webinar", GENEVA,
                    [_hours("2011-03-23", "14:00")], WEBINAR_NOTE,
                    online_url="https://www.pops.int", audience=stakeholders,
                    registration="open"),
        EventFields(f"{SYNERGIES} (Arabic-speaking countries)", "workshop", CAIRO,
                    [_days("2011-03-29", "2011-03-31")],
                    "Announced for March-April 2011; dates and venue were advertised later.",
                    venue="Cairo, Egypt", audience=["ocp", "dna", "nfp"],
                    audience_note="From Arabic-speaking countries", region="Arab States",
                    registration="ocp"),
        EventFields(f"{SYNERGIES} (French-speaking countries in Africa)", "workshop", DAKAR,
                    [_days("2011-04-12", "2011-04-14")],
                    "Announced for March-April 2011; dates and venue were advertised later.",
                    venue="Dakar, Senegal", audience=["ocp", "dna", "nfp"],
                    audience_note="From French-speaking countries in Africa", region="Africa",
                    registration="ocp"),
        EventFields("Fifth Meeting of the Conference of the Parties to the Stockholm "
                    "Convention (COP-5)", "conference", GENEVA,
                    [_days("2011-04-25", "2011-04-29")],
                    "A Stockholm Convention **PEN Awards** function is held in conjunction "
                    "with COP-5.", venue="Geneva, Switzerland",
                    audience_note="Parties to the Stockholm Convention"),
    ]


def upcoming(group_id: int | None) -> list[EventFields]:
    """What is coming up, relative to today, so registration can be tried."""
    soon = (utcnow() + timedelta(days=10)).date().isoformat()
    later = (utcnow() + timedelta(days=40)).date()
    events = [
        EventFields("PEN webinar: labelling PCB-containing equipment", "webinar", GENEVA,
                    [_hours(soon, "14:00", 2)], "A practical session on the labelling "
                    "scheme. Places are limited; beyond them you join the waiting list.",
                    online_url="https://meet.pen.example/labelling", audience=["nfp", "other"],
                    registration="open", capacity=3),
        EventFields("Regional workshop on PCB inventories in Africa", "workshop", DAKAR,
                    [_days(later.isoformat(), (later + timedelta(days=2)).isoformat())],
                    "Registrations go through the official contact points.",
                    venue="Dakar, Senegal", audience=["ocp", "nfp"], region="Africa",
                    registration="ocp", capacity=40),
        EventFields(ASIA_WORKSHOP, "workshop", BANGKOK,
                    [_days((later + timedelta(days=7)).isoformat(),
                           (later + timedelta(days=8)).isoformat())],
                    "Registrations go through the official contact points: yours endorses "
                    "or declines, and you receive an email either way.",
                    venue="Bangkok, Thailand", audience=["ocp", "nfp", "other"],
                    region="Asia-Pacific", registration="ocp", capacity=30),
    ]
    if group_id is not None:
        events.append(EventFields(
            "Maintenance group: retrofilling training (group members)", "workshop", PANAMA,
            [_days((later + timedelta(days=20)).isoformat(),
                   (later + timedelta(days=21)).isoformat())],
            "For the members of the thematic group.", venue="Panama City, Panama",
            group_id=group_id, registration="open", capacity=12))
    return events


def _materials(fields: EventFields) -> None:
    """Past events link the library documents that go with them."""
    wanted = {"National Implementation Plans": "Guidelines for reviewing and updating%",
              "Conference of the Parties": "Standardized Toolkit%",
              "1st Meeting of the PEN": "Minutes of the first meeting%"}
    for needle, pattern in wanted.items():
        if needle in fields.title:
            found = db.session.scalar(select(Document.id).where(Document.title.like(pattern))
                                      .order_by(Document.id))
            fields.material_ids = [found] if found else []


def seed() -> int:
    """Add the missing demo events; how many were made (links are built as in a request)."""
    if has_request_context():
        return _seed()
    with current_app.test_request_context():
        return _seed()


def _seed() -> int:
    """Create what is missing (inside a request context)."""
    admin = db.session.scalar(select(User).where(User.email == "admin@pen.example"))
    if admin is None:
        return 0
    group_id = db.session.scalar(select(Group.id).where(Group.slug == "pcb-maintenance"))
    made = 0
    for fields in [*calendar_2011(), *upcoming(group_id)]:
        if db.session.scalar(select(Event.id).where(Event.title == fields.title)) is None:
            _materials(fields)
            service.create_event(admin, fields)
            made += 1
    _seed_registrations()
    _seed_member_zone()
    return made


def _seed_member_zone() -> None:
    """The demo member (in Viet Nam) sees event times on her own clock too."""
    profile = db.session.scalar(select(Profile).join(User, Profile.user_id == User.id)
                                .where(User.email == "member@pen.example"))
    if profile is not None and profile.timezone is None:
        profile.timezone = "Asia/Ho_Chi_Minh"
        db.session.commit()


def _seed_registrations() -> None:
    """The endorsement, end to end: Viet Nam's OCP (ocp@pen.example) has endorsed one
    registration for the Asia-Pacific workshop and has the demo member's in his queue."""
    event = db.session.scalar(select(Event).where(Event.title == ASIA_WORKSHOP))
    ocp = _user("ocp@pen.example")
    if event is None or ocp is None or not ocp.is_active:
        return
    engineer = _user("nguyen.minh@evn.example")
    if engineer is not None and registration.registration_of(engineer, event) is None:
        registration.endorse(ocp, registration.register(
            engineer, event, "I run the substations' oil sampling."))
    member = _user("member@pen.example")
    if member is not None and member.is_active and \
            registration.registration_of(member, event) is None:
        registration.register(member, event, "I coordinate our national inventory.")


def _user(email: str) -> User | None:
    """A demo account by email."""
    return db.session.scalar(select(User).where(User.email == email))
