"""Demo discussions drawn from the network's newsletter: maintenance, inventories, disposal.

``seed`` adds the demo categories and topics only to forums that have no
category yet, so it is safe to run on every ``make run``.
"""

from sqlalchemy import func, select

from ..auth.models import User
from ..extensions import db
from . import moderation, service
from .models import Category

CATEGORIES = [
    ("Maintenance of PCB-containing equipment",
     "Transformers, capacitors and switchgear that may contain PCBs: servicing, labelling, "
     "leaks, and the work of the Thematic Group that first met in Panama City."),
    ("PCB inventories", "Planning and running national inventories; templates, sampling "
     "strategies, what to do with the results when updating the NIP."),
    ("Environmentally sound disposal", "Export for destruction, dechlorination, "
     "high-temperature incineration, interim storage; experience with each."),
    ("Legislation and the Stockholm Convention", "Phase-out deadlines (2025 and 2028), "
     "national regulations, reporting under Article 15."),
]

# category index, title, author email, body, [(replier email, body)], accepted reply index
TOPICS = [
    (0, "Testing transformer oil for PCBs before maintenance", "kofi.mensah@ecg.example",
     "Our workshop services about **300 distribution transformers** a year, many from the "
     "1970s. Before we open one we want to know whether the oil contains PCBs.\n\n"
     "* Which field screening kits have members used?\n* At what ppm do you send a sample "
     "to the laboratory?",
     [("ingrid.larsen@nilu.example", "We screen with chloride test kits and confirm anything "
       "above **50 ppm** by GC-ECD. Keep the sealed vial and label it with the serial number "
       "of the transformer."),
      ("ana.gonzalez@etesa.example", "In Panama we did the same during the inventory. "
       "@KofiMensah, I can share our sampling form.")], 0),
    (0, "Minutes of the first Thematic Group meeting (Panama City, 15-18 February 2011)",
     "carmen.rodriguez@crs-panama.example",
     "The first meeting of the PEN Thematic Group on Maintenance of PCB-containing equipment "
     "was held together with the workshop on the environmentally sound management of POPs "
     "wastes and PCBs. Comments on the draft maintenance guide are welcome here.",
     [("moderator@pen.example", "Pinned for the group's reference. Please keep comments on "
       "the guide in this topic.")], None),
    (1, "How to structure a national PCB inventory", "moussa.ouedraogo@environnement.example",
     "Nous commençons l'inventaire national. How did others **prioritise owners** - "
     "utilities first, then industry?\n\n| Owner | Equipment | Status |\n|---|---|---|\n"
     "| Utility | Transformers | started |\n| Industry | Capacitors | not started |",
     [("priya.raman@cpcb.example", "Start with the utility: it holds most of the equipment and "
       "has records. For industrial capacitors we used a questionnaire first."),
      ("member@pen.example", "The PEN magazine issue on inventories has step-by-step "
       "approaches from several regions; worth reading before you design the forms.")], 0),
    (2, "Options for exporting PCB waste for destruction", "awa.ndiaye@pan-africa.example",
     "Several West African countries have no destruction facility. What did members learn "
     "from exporting PCB waste under the Basel Convention procedures?",
     [("hans.weber@umwelt.example", "High-temperature incineration capacity exists in Europe; "
       "plan for the notification procedure, which takes months, and for interim storage "
       "meanwhile."),
      ("dmitri.volkov@rc-moscow.example", "For low-concentration oils, dechlorination on site "
       "can be cheaper than export.")], None),
    (3, "Reaching the 2025 goal for equipment in use", "fatima.alsayed@env-jo.example",
     "Parties should make determined efforts to eliminate the use of PCBs in equipment by "
     "2025. How are others writing this into national regulation?", [], None),
]


def seed() -> int:
    """Create the demo forums if there are none; the number of topics created."""
    if db.session.scalar(select(func.count()).select_from(Category)):
        return 0
    people = {u.email: u for u in db.session.scalars(select(User))}
    admin = people.get("admin@pen.example")
    if admin is None:
        return 0
    categories = [service.create_category(admin, name, description)
                  for name, description in CATEGORIES]
    return sum(_topic(categories, people, *spec) for spec in TOPICS)


def _topic(categories, people, index, title, email, body, replies, accepted) -> int:
    author = people.get(email)
    if author is None:
        return 0
    topic = service.create_topic(author, categories[index], title, body)
    posts = [service.reply(people[e], topic, text) for e, text in replies if e in people]
    if accepted is not None and accepted < len(posts):
        service.accept_answer(author, topic, posts[accepted])
    moderator = people.get("moderator@pen.example")
    if title.startswith("Minutes") and moderator is not None:
        moderation.set_pinned(moderator, topic, True)
    return 1
