"""Demo discussions of the thematic groups (added once, when a group has none)."""

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..groups import demo as group_demo
from ..groups import service as groups
from . import reading, service
from .models import Topic

# group slug, title, author email, body, [(replier email, body)]
TOPICS = [
    ("pcb-maintenance", "Chapter 3 of the maintenance guide: retrofilling",
     "carmen.rodriguez@crs-panama.example",
     "Here is the outline we agreed in Panama City. Who can share **retrofilling costs** "
     "per transformer?",
     [("kofi.mensah@ecg.example", "In Ghana about 40% of the cost is the replacement oil."),
      ("member@pen.example", "We will send figures from Viet Nam next week.")]),
    ("pcb-maintenance", "Survey of maintenance workshops: questionnaire draft",
     "ana.gonzalez@etesa.example",
     "The survey is late; the questionnaire draft is attached to the next meeting's agenda. "
     "Comments welcome before Friday.", []),
    ("pcb-inventories", "Sharing inventory templates", "priya.raman@cpcb.example",
     "Post your national inventory templates here; we will compare them.", []),
]


def seed() -> int:
    """Add the demo topics of groups that have no discussion yet; how many were made."""
    category = next(iter(reading.categories()), None)
    if category is None:
        return 0
    made = 0
    for slug, title, author_email, body, replies in TOPICS:
        group = groups.get_by_slug(slug)
        if group is None or _has_topic(group.id, title):
            continue
        author = _user(author_email)
        if author is None:
            continue
        topic = service.create_topic(author, category, title, body, group_id=group.id)
        if slug == group_demo.MAINTENANCE and "retrofilling" in title:
            group_demo.link_topic("Draft the maintenance guide for utilities", topic.id)
        for email, text in replies:
            replier = _user(email)
            if replier is not None:
                service.reply(replier, topic, text)
        made += 1
    return made


def _has_topic(group_id: int, title: str) -> bool:
    return db.session.scalar(select(Topic.id).where(Topic.group_id == group_id,
                                                    Topic.title == title)) is not None


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))
