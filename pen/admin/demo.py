"""Demo content: accounts for every role, drawn from the network's own world.

``seed`` only adds what is missing, so it can run on every ``make run`` and never
overwrites what someone changed (a password, a role).
"""

from dataclasses import dataclass

from ..applications import demo as application_demo
from ..auth import service
from ..auth.models import RoleName, UserStatus
from ..auth.system import SYSTEM
from ..awards import demo as award_demo
from ..events import demo as event_demo
from ..extensions import db
from ..forums import demo as forum_demo
from ..library import demo as library_demo
from ..onboarding import demo as rollout_demo
from . import demo_members, demo_vocabulary

DEMO_PASSWORD = "pen-demo-2011"  # noqa: S105 - published demo credential, shown by `make run`


@dataclass(frozen=True)
class DemoAccount:
    """One demo account, why it exists, and its profile (as ``demo_members.PEOPLE``)."""

    email: str
    name: str
    roles: tuple[str, ...]
    status: UserStatus = UserStatus.ACTIVE
    note: str = ""
    profile: tuple = ()


SECRETARIAT = "Secretariat of the Basel, Rotterdam and Stockholm Conventions"
DEMO_ACCOUNTS = (
    DemoAccount("admin@pen.example", "Amina Diallo", (RoleName.ADMIN,),
                note="Secretariat administrator",
                profile=("CH", SECRETARIAT, "intergovernmental", None, ["PCB inventories"],
                         ["en", "fr"], "Runs the network for the Secretariat.")),
    DemoAccount("moderator@pen.example", "Carlos Mendoza", (RoleName.MODERATOR,),
                note="forum moderator, utility engineer in Panama",
                profile=("PA", "Empresa de Transmisión Eléctrica", "utility", "expert",
                         ["Maintenance of PCB-containing equipment"], ["es", "en"],
                         "Substation engineer; moderates the forums.")),
    DemoAccount("committee@pen.example", "Marta Lindqvist", (RoleName.COMMITTEE,),
                note="PEN Advisory Committee, Sweden",
                profile=("SE", "Swedish Chemicals Agency", "government", "expert",
                         ["Alternatives to PCBs"], ["sv", "en"],
                         "Member of the PEN Advisory Committee; reviews award nominations.")),
    DemoAccount("member@pen.example", "Nguyen Thi Lan", (),
                note="national focal point, Viet Nam",
                profile=("VN", "Viet Nam Environment Administration", "government", "nfp",
                         ["PCB inventories"], ["vi", "en"],
                         "National focal point for the Stockholm Convention.")),
    DemoAccount("ocp@pen.example", "Tran Van Duc", (),
                note="official contact point, Viet Nam: endorses registrations",
                profile=("VN", "Ministry of Natural Resources and Environment", "government",
                         "ocp", ["Legislation and enforcement"], ["vi", "en"],
                         "Official contact point of Viet Nam.")),
    DemoAccount("invited@pen.example", "Moussa Ndiaye", (), UserStatus.INVITED,
                note="invited, has not chosen a password yet",
                profile=("SN", "Senelec", "utility", "expert", ["Transformers and capacitors"],
                         ["fr"], "")),
    DemoAccount("suspended@pen.example", "Tomasz Nowak", (), UserStatus.SUSPENDED,
                note="suspended: cannot sign in",
                profile=("PL", "Energa", "utility", "expert", ["Decontamination"], ["pl"], "")),
)


# The rollout's test group: the demo accounts and a few members, one per region or so.
TEST_GROUP = ["member@pen.example", "moderator@pen.example", "committee@pen.example",
              "ana.gonzalez@etesa.example", "kofi.mensah@ecg.example",
              "ingrid.larsen@nilu.example", "zhang.wei@brcc.example"]


def seed() -> list[str]:
    """Create the demo accounts and members that do not exist yet; return what was made."""
    created = _seed_accounts()
    people = demo_members.seed_people(SYSTEM)
    rollout_demo.seed(SYSTEM, test_group=TEST_GROUP, invite=["invited@pen.example"])
    forum_demo.seed()
    award_demo.seed()
    _seed_groups()
    library_demo.seed()  # after the groups: one document is the maintenance group's
    _attach_group_minutes()
    event_demo.seed()  # after the groups and the library: events link both
    application_demo.seed()  # after the accounts: one application repeats a member's email
    demo_vocabulary.seed()  # last: the labels of every list the demo filled
    return [*created, *(["member profile"] * people)]


def _seed_groups() -> None:
    """Thematic groups (with members, work plan, meetings), then their discussions."""
    from ..forums import group_demo
    from ..groups import demo as group_demo_spaces

    admin = service.find_by_email("admin@pen.example")
    if admin is not None:
        group_demo_spaces.seed(admin)
        group_demo.seed()


def _attach_group_minutes() -> None:
    """The Panama City meeting's minutes are the maintenance group's library document."""
    from sqlalchemy import select

    from ..groups import demo as group_demo_spaces
    from ..library.models import Document

    found = db.session.scalar(select(Document.id).where(
        Document.title.like("Minutes of the first meeting%")).order_by(Document.id))
    if found is not None:
        group_demo_spaces.attach_minutes(found)


def _seed_accounts() -> list[str]:
    """The demo accounts that are missing, each with its profile; the emails made."""
    created = []
    for account in DEMO_ACCOUNTS:
        user = service.find_by_email(account.email)
        if user is None:
            password = None if account.status == UserStatus.INVITED else DEMO_PASSWORD
            user = service.create_user(account.email, account.name, password, account.roles,
                                       status=account.status)
            created.append(account.email)
        if account.profile:
            demo_members.fill_profile(SYSTEM, user, account.profile)
    db.session.commit()
    return created


def account_states() -> list[tuple[DemoAccount, str]]:
    """Each demo account with its state now (what ``serve`` prints): someone may have
    accepted the invitation, or reactivated the suspended account, since the seed."""
    states = []
    for account in DEMO_ACCOUNTS:
        user = service.find_by_email(account.email)
        if user is None:
            state = "missing: run flask seed-demo"
        elif user.status == account.status:
            state = account.note
        else:
            state = f"{account.name}, now {user.status.value}"
        states.append((account, state))
    return states
