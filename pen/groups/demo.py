"""Demo thematic groups drawn from the newsletter, with members, a work plan and meetings.

The Advisory Committee "endorsed the work plan for the thematic groups"; the
first, on Maintenance of PCB-containing equipment, met in Panama City
(15-18 February 2011). ``seed`` adds only the groups that do not exist yet.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..types import utcnow
from . import meetings, membership, service, workplan
from .models import MEMBER, Activity, ActivityLink, GroupMembership, Meeting
from .service import GroupFields

MAINTENANCE = "pcb-maintenance"

# slug, name, description, visibility, policy, coordinators, members (demo accounts included:
# moderator@ coordinates the first group, member@ is in two and invited to a third)
GROUPS = [
    (MAINTENANCE, "Thematic Group on Maintenance of PCB-containing equipment",
     "Servicing, labelling and retrofilling transformers and capacitors that may contain "
     "PCBs, without spreading them. The group **first met in Panama City** (15-18 February "
     "2011) together with the workshop on the environmentally sound management of POPs "
     "wastes and PCBs, and drafts a maintenance guide for utilities.", "listed", "request",
     ["carmen.rodriguez@crs-panama.example", "moderator@pen.example"],
     ["kofi.mensah@ecg.example", "ana.gonzalez@etesa.example", "member@pen.example",
      "ingrid.larsen@nilu.example", "sofia.herrera@ute.example"]),
    ("pcb-inventories", "Thematic Group on PCB Inventories",
     "National experiences and lessons learned in inventorying PCBs, step-by-step "
     "approaches and regional overviews, as in the PEN magazine's first issue.", "listed",
     "open", ["priya.raman@cpcb.example"],
     ["moussa.ouedraogo@environnement.example", "zhang.wei@brcc.example",
      "member@pen.example", "nguyen.minh@evn.example"]),
    ("pcb-disposal", "Thematic Group on Environmentally Sound Disposal of PCBs",
     "Destruction technologies, export for disposal, interim storage and costs.", "listed",
     "request", ["tanaka.hiroshi@jesco.example"],
     ["hans.weber@umwelt.example", "ahmed.hassan@eeaa.example", "grace.banda@zema.example"]),
    ("nip-update", "Working group on updating National Implementation Plans",
     "Preparing members' contributions to the NIP review webinars (2 and 4 March).",
     "unlisted", "invitation", ["jp.dubois@unep.example"],
     ["committee@pen.example", "fatima.alsayed@env-jo.example"]),
]


def _users(emails: list[str]) -> list[User]:
    found = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    return [found[e] for e in emails if e in found]


def seed(admin: User) -> int:
    """Create the missing demo groups; how many were made."""
    made = 0
    for slug, name, text, visibility, policy, coordinators, members in GROUPS:
        if service.get_by_slug(slug) is not None:
            continue
        leads = _users(coordinators)
        if not leads:
            continue
        group = service.create_group(admin, GroupFields(name, slug, text, visibility, policy),
                                     leads)
        for user in _users(members):
            db.session.add(GroupMembership(group_id=group.id, user_id=user.id, role=MEMBER))
        db.session.commit()
        made += 1
        if slug == MAINTENANCE:
            _seed_maintenance(group, leads[0])
        if slug == "pcb-disposal":  # the demo member finds an invitation under the bell
            membership.invite(leads[0], group, _users(["member@pen.example"])[0])
    return made


def _seed_maintenance(group, lead: User) -> None:
    """The first group's work plan, meetings and a pending request."""
    today = date.today()
    plan = [
        ("Draft the maintenance guide for utilities", "in_progress", -60, 45),
        ("Labelling scheme for equipment in service", "done", -200, -90),
        ("Survey of maintenance workshops in Central America", "planned", -30, -5),
        ("Training workshop on retrofilling", "planned", 60, 90),
    ]
    members = [m.user_id for m in service.memberships(group)]
    for index, (title, status, start, due) in enumerate(plan):
        workplan.create_activity(lead, group, workplan.ActivityFields(
            title, "See the group's discussions.", status, today + timedelta(days=start),
            today + timedelta(days=due), members[index % len(members):][:1]))
    meetings.create_meeting(lead, group, meetings.MeetingFields(
        "1st meeting of the Thematic Group", datetime(2011, 2, 15, 9, 0), "America/Panama",
        "Panama City, Panama", agenda="1. Maintenance practices\n2. The draft guide\n"
        "3. Work plan endorsed by the Advisory Committee"))
    soon = (utcnow() + timedelta(days=21)).replace(hour=14, minute=0, tzinfo=None)
    meetings.create_meeting(lead, group, meetings.MeetingFields(
        "Online review of the draft guide", soon, "UTC",
        online_url="https://meet.pen.example/maintenance",
        agenda="Comments on chapters 2-4 of the **maintenance guide**."))
    requester = _users(["mariana.silva@cetesb.example"])
    if requester:
        membership.request_to_join(requester[0], group,
                                   "Our agency inspects utilities' workshops in São Paulo.")



def attach_minutes(document_id: int) -> None:
    """Record a library document as the minutes of the first group's Panama City meeting
    (the surfaces' demo calls it once the library has its documents)."""
    group = service.get_by_slug(MAINTENANCE)
    if group is None:
        return
    first = db.session.scalar(select(Meeting).where(
        Meeting.group_id == group.id, Meeting.minutes_document_id.is_(None))
        .order_by(Meeting.starts_at))
    if first is not None and first.starts_at < utcnow():
        first.minutes_document_id = document_id
        db.session.commit()


def link_topic(title: str, topic_id: int) -> None:
    """Link a demo discussion to the first group's activity called ``title``."""
    group = service.get_by_slug(MAINTENANCE)
    activity = group and db.session.scalar(select(Activity).where(
        Activity.group_id == group.id, Activity.title == title))
    if activity is not None and not activity.links:
        activity.links.append(ActivityLink(kind="topic", target_id=topic_id))
        db.session.commit()
