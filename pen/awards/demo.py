"""Demo: the "PEN Awards 2011" call from the network's newsletter, with a few nominations.

The newsletter: "A call for Nominations for the 2011 Stockholm Convention's PEN
Awards has been launched and nominations are reaching the Secretariat on a daily
basis. Nominations can be sent until 1 March 2011", the awards to be presented
with the fifth Conference of the Parties in April 2011. The categories follow
the network's themes (PCB inventories, maintenance of PCB-containing equipment,
environmentally sound management). Seeding moves the awards' clock back to 2011
while it nominates and reviews, then gives it back; added only once.
"""

from contextlib import contextmanager
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select

from ..auth import service as accounts
from ..auth.system import SYSTEM
from ..extensions import db
from . import cycles, nominating, reviewing
from .models import AwardCycle

NAME = "PEN Awards 2011"
CALL = (
    "The Stockholm Convention's **PEN Awards** recognise members of the PCBs Elimination "
    "Network whose work brings the elimination of PCBs closer. The awards will be presented "
    "at a function held in conjunction with the fifth meeting of the Conference of the "
    "Parties in April 2011.\n\nNominations can be sent until **1 March 2011**. Any member "
    "may nominate a member, or a person or organisation outside the network.")
CATEGORIES = [
    ("PCB inventories", "A national or regional inventory of PCB-containing equipment and "
     "wastes that others can learn from.", "Inventories completed or updated since 2008.",
     False),
    ("Maintenance of PCB-containing equipment", "Safe servicing, labelling and monitoring of "
     "transformers and capacitors until their elimination.", "", True),
    ("Environmentally sound management of PCBs", "Interim storage, decontamination, "
     "destruction: environmentally sound management of PCB wastes.", "", False),
]
CRITERIA = [("Impact on PCB elimination", 3), ("Replicability in other countries", 2),
            ("Involvement of stakeholders", 1)]
# nominator email, category index, nominee member email or (name, organisation, country),
# statement, main achievements, scale, submitted?
NOMINATIONS = [
    ("member@pen.example", 0, "ana.gonzalez@etesa.example",
     "Ana González led Panama's inventory of **4,200 transformers** of the national grid and "
     "shared its method with the region.", "4,200 transformers sampled and labelled.",
     "National", True),
    ("moderator@pen.example", 1, "carmen.rodriguez@crs-panama.example",
     "Carmen Rodríguez wrote the maintenance guides that the Thematic Group on Maintenance "
     "of PCB-containing equipment discussed at its first meeting in Panama City.",
     "Maintenance guides in Spanish used in six countries.", "Regional", True),
    ("member@pen.example", 2, ("Stockholm Convention Regional Centre in Spain (CP/RAC)",
                               "CP/RAC", "ES"),
     "The centre supports countries of the Mediterranean in managing PCB wastes and in "
     "preparing their National Implementation Plans.", "Assistance to Israel towards "
     "ratification; workshops on POPs monitoring.", "Regional", True),
    ("member@pen.example", 0, "moussa.ouedraogo@environnement.example",
     "Brouillon : l'inventaire national du Burkina Faso.", "", "", False),
]
REVIEWS = [(0, (5, 4, 4), "A model inventory, well documented."),
           (1, (4, 5, 3), "Useful guides; impact still to be measured.")]


@contextmanager
def awards_clock(moment: datetime):
    """Let the awards believe it is ``moment`` while seeding."""
    previous = current_app.config.get("AWARDS_CLOCK")
    current_app.config["AWARDS_CLOCK"] = lambda: moment
    try:
        yield
    finally:
        current_app.config["AWARDS_CLOCK"] = previous


def seed() -> bool:
    """Add the 2011 cycle and its nominations if there is no such cycle; True if added."""
    if db.session.scalar(select(AwardCycle.id).where(AwardCycle.name == NAME)) is not None:
        return False
    with awards_clock(datetime(2010, 12, 1, tzinfo=UTC)):
        cycle = _cycle()
    with awards_clock(datetime(2011, 2, 14, 10, 0, tzinfo=UTC)):
        made = [_nominate(cycle, *row) for row in NOMINATIONS]
    committee = accounts.find_by_email("committee@pen.example")
    if committee is not None:
        with awards_clock(datetime(2011, 3, 10, 9, 0, tzinfo=UTC)):
            for index, scores, comment in REVIEWS:
                given = {c.id: s for c, s in zip(cycle.criteria, scores, strict=True)}
                reviewing.save_review(committee, made[index], given, comment)
    return True


def _cycle() -> AwardCycle:
    cycle = cycles.create_cycle(SYSTEM, cycles.CycleInput(
        name=NAME, description=CALL, time_zone="Europe/Zurich",
        opens_local=datetime(2010, 12, 15, 9, 0), closes_local=datetime(2011, 3, 1, 23, 59),
        grace_minutes=30))
    for name, description, eligibility, allow_self in CATEGORIES:
        cycles.add_category(SYSTEM, cycle, name, description, eligibility, allow_self)
    cycles.add_question(SYSTEM, cycle, "Main achievements", "text", required=True)
    cycles.add_question(SYSTEM, cycle, "Scale of the work", "choice",
                        choices="National\nRegional\nGlobal")
    cycles.add_question(SYSTEM, cycle, "Supporting document (PDF or DOCX)", "file")
    for name, weight in CRITERIA:
        cycles.add_criterion(SYSTEM, cycle, name, weight=weight)
    return cycle


def _nominate(cycle, nominator_email, category, nominee, statement, achievements, scale,
              submit):
    nominator = accounts.find_by_email(nominator_email)
    if nominator is None:
        return None
    first, second = cycle.questions[0].id, cycle.questions[1].id
    data = nominating.NominationInput(
        category_id=cycle.categories[category].id, statement=statement,
        answers={first: achievements, second: scale})
    if isinstance(nominee, tuple):
        data.nominee_kind = "organisation"
        data.nominee_name, data.nominee_organisation, data.nominee_country = nominee
    else:
        data.nominee_member = nominee
    return nominating.save(nominator, cycle, data, submit=submit)
