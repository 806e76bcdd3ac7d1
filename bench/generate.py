"""A realistic network at scale S, in an empty database, then its search index.

    python -m bench generate --scale 1 [--seed 2011]

S=1 is today's PEN: 550 members, 20 thematic groups, 5,000 posts in 500 topics, 500
library documents of 3-40 pages in the six UN languages, one award cycle with 60
nominations reviewed by 8 committee members, 50 events. S=10 and S=100 multiply the
members, posts, topics and documents; groups, awards and events stay as they are.
Rows go in with SQLAlchemy Core ``insert`` of many rows at once (no per-row ORM),
except the award cycle and the events, which are few and go through the services so
that their rules (conflicts, weighted scores) hold. Deterministic for a seed: the
same seed gives the same members, posts and texts (timestamps the services stamp
with the wall clock aside).
"""

import math
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import click
from sqlalchemy import func, insert, inspect, select, text, update

from bench import generate_content as content
from bench import members as member_builder
from bench.forums import _topic
from pen.auth import passwords
from pen.auth import service as accounts
from pen.auth.models import User, UserStatus
from pen.extensions import db
from pen.forums import posting
from pen.forums.demo import CATEGORIES
from pen.forums.models import Category, Post, Topic
from pen.groups.models import COORDINATOR, MEMBER, Group, GroupMembership
from pen.onboarding.models import Invitation

PASSWORD = "bench-password-2011"  # noqa: S105 - every generated account of a throwaway database
ADMIN_EMAIL = "bench-admin@bench.example"
REVIEWERS = 8
BASE = {"members": 550, "groups": 20, "topics": 500, "posts": 5000, "documents": 500,
        "nominations": 60, "events": 50}
SCALED = ("members", "topics", "posts", "documents")
START = datetime(2011, 1, 1, tzinfo=UTC)
BATCH = 5000
QUIET_GROUPS = 4  # groups without a forum topic


@dataclass
class Options:
    """What decides the generated data."""

    scale: float = 1.0
    seed: int = 2011
    page_chars: int = 1500
    procs: int = 1
    overrides: dict | None = None  # tests: fewer nominations, events, groups


def counts(scale: float) -> dict[str, int]:
    """How many of each thing scale ``scale`` holds (at least one of each)."""
    return {name: max(1, round(value * scale)) if name in SCALED else value
            for name, value in BASE.items()}


def long_topic_size(scale: float, posts: int) -> int:
    """The first topic is long (its first, middle and last pages are measured)."""
    return min(posts // 4, 2000, max(20, round(200 * scale)))


def is_empty() -> bool:
    """True when the database has no schema yet or no account at all."""
    if "users" not in inspect(db.engine).get_table_names():
        return True
    return not db.session.scalar(select(func.count()).select_from(User))


def ensure_schema() -> None:
    """Create the tables by the migrations (as production does) when there are none."""
    if "users" not in inspect(db.engine).get_table_names():
        from flask_migrate import upgrade

        upgrade()


def generate(options: Options) -> dict:
    """Fill the database; return the counts, the ids the runner needs and each step's time."""
    rng = random.Random(options.seed)
    wanted = {**counts(options.scale), **(options.overrides or {})}
    steps: dict[str, float] = {}
    clock = Stopwatch(steps)
    staff = _staff()
    _members(wanted["members"], options.seed)
    member_ids = list(db.session.scalars(select(User.id).where(
        User.status == UserStatus.ACTIVE, User.id > staff["last_id"]).order_by(User.id)))
    clock.lap("members")
    groups = _groups(rng, wanted["groups"], member_ids)
    categories = _categories()
    forum = _forums(rng, wanted, categories, groups, member_ids, options.scale)
    clock.lap("groups and forums")
    documents = content.library(rng, wanted["documents"], groups, member_ids,
                                options.page_chars)
    clock.lap("library")
    award = content.awards(rng, staff, member_ids, wanted["nominations"])
    clock.lap("awards")
    month = content.events(rng, wanted["events"], groups, staff["admin"])
    finish()
    clock.lap("events and analyze")
    return {"counts": {**wanted, "documents": documents}, "long_topic": forum["long_topic"],
            "long_topic_posts": forum["long_topic_posts"], "category": categories[0][1],
            "cycle": award, "month": month, "admin": ADMIN_EMAIL, "steps": steps,
            "reviewers": staff["reviewers"], "password": PASSWORD}


class Stopwatch:
    """Seconds of each step, recorded into ``steps``."""

    def __init__(self, steps: dict[str, float]):
        self.steps, self.last = steps, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.steps[name] = round(now - self.last, 1)
        self.last = now


def _staff() -> dict:
    """The administrator and the committee, through the account service."""
    admin = accounts.create_user(ADMIN_EMAIL, "Bench Administrator", PASSWORD, ("admin",))
    reviewers = [accounts.create_user(f"reviewer{i}@bench.example", f"Committee Member {i}",
                                      PASSWORD, ("committee",)) for i in range(REVIEWERS)]
    db.session.commit()
    return {"admin": admin.id, "reviewers": [r.email for r in reviewers],
            "reviewer_ids": [r.id for r in reviewers], "last_id": reviewers[-1].id}


def _members(count: int, seed: int) -> None:
    """Members with profiles (``bench.members``' builder), in batches, one password hash."""
    with click.progressbar(length=count, label=f"{'members':<12}", show_pos=True) as bar:
        for first in range(0, count, BATCH):
            size = min(BATCH, count - first)
            member_builder.generate(size, seed=seed + first, batch=size)
            bar.update(size)
    shared = passwords.hash_password(PASSWORD)  # hashing 55,000 passwords would take an hour
    db.session.execute(update(User).where(User.password_hash.is_(None),
                                          User.status == UserStatus.ACTIVE)
                       .values(password_hash=shared))
    accepted = (select(Invitation.accepted_at).where(Invitation.user_id == User.id)
                .scalar_subquery())  # Core inserts skip the account service, which sets it
    db.session.execute(update(User).where(User.activated_at.is_(None),
                                          User.status != UserStatus.INVITED)
                       .values(activated_at=func.coalesce(accepted, User.created_at)))
    db.session.commit()


def _groups(rng: random.Random, count: int, member_ids: list[int]) -> list[int]:
    """Thematic groups of a dozen to forty experts (the same size at every scale)."""
    from pen.groups.demo import GROUPS

    names = [spec[1] for spec in GROUPS]
    terms = sorted(t.name for t in content.vocabulary().values())
    names += [f"Thematic Group on {term}" for term in terms if f"on {term}" not in names]
    rows = [{"id": i, "slug": f"group-{i}", "name": names[(i - 1) % len(names)] +
             ("" if i <= len(names) else f" ({i})"),
             "description": "", "description_html": "<p>A thematic group of the network.</p>",
             "visibility": "listed" if i % 7 else "unlisted",
             "join_policy": rng.choice(["open", "request", "invitation"]),
             "created_at": START} for i in range(1, count + 1)]
    db.session.execute(insert(Group.__table__), rows)
    memberships = []
    for row in rows:
        chosen = rng.sample(member_ids, min(len(member_ids), rng.randint(12, 40)))
        memberships += [{"group_id": row["id"], "user_id": user_id, "joined_at": START,
                         "role": COORDINATOR if n == 0 else MEMBER}
                        for n, user_id in enumerate(chosen)]
    db.session.execute(insert(GroupMembership.__table__), memberships)
    db.session.commit()
    return [row["id"] for row in rows]


def _categories() -> list[tuple[int, str]]:
    """The demo's forum categories and a few more."""
    specs = [*CATEGORIES, ("Training and awareness", "Workshops, webinars, material."),
             ("Laboratories and analysis", "Sampling, screening kits, accredited labs."),
             ("Questions to the Secretariat", "The PEN, its platform and its events."),
             ("Regional news", "What happens in each region.")]
    rows = [Category(name=name, slug=f"category-{n}", description=about,
                     description_html=f"<p>{about}</p>", position=n)
            for n, (name, about) in enumerate(specs)]
    db.session.add_all(rows)
    db.session.commit()
    return [(c.id, c.slug) for c in rows]


def _forums(rng, wanted: dict, categories, groups, member_ids, scale: float) -> dict:
    """Topics and posts; one topic in ten belongs to a group (``_topic_group``)."""
    topics, posts = wanted["topics"], wanted["posts"]
    long_size = long_topic_size(scale, posts)
    rest = max(1, (posts - long_size) // max(1, topics - 1))
    topic_rows, post_rows, done = [], [], 0
    with click.progressbar(length=posts, label=f"{'posts':<12}", show_pos=True) as bar:
        for topic_id in range(1, topics + 1):
            left = posts - done - (topics - topic_id)
            size = long_size if topic_id == 1 else rng.randint(1, 2 * rest - 1)
            size = max(1, min(size, left)) if topic_id < topics else max(1, posts - done)
            row = _topic(rng, topic_id, categories[topic_id % len(categories)][0], size,
                         post_rows, done, member_ids, _topic_group(topic_id, groups))
            topic_rows.append(row)
            done += size
            if len(post_rows) >= BATCH * 2 or topic_id == topics:
                bar.update(len(post_rows))
                _flush(topic_rows, post_rows)
    for category_id, _slug in categories:
        posting.recount_category(category_id)
    db.session.commit()
    return {"long_topic": 1, "long_topic_posts": long_size, "posts": done}


def _topic_group(topic_id: int, groups: list[int]) -> int | None:
    """One topic in ten is a group's, spread over all groups but the last four, which
    stay quiet (their members' "latest in your groups" must not read the whole forum)."""
    busy = groups[:max(1, len(groups) - QUIET_GROUPS)]
    return busy[(topic_id // 10) % len(busy)] if topic_id % 10 == 5 else None


def _flush(topic_rows: list, post_rows: list) -> None:
    """Insert the topics and posts gathered so far."""
    db.session.execute(insert(Topic.__table__), topic_rows)
    db.session.execute(insert(Post.__table__), post_rows)
    db.session.commit()
    topic_rows.clear()
    post_rows.clear()


def finish() -> None:
    """Sequences after explicit ids (PostgreSQL), then fresh planner statistics."""
    if db.engine.dialect.name == "postgresql":
        for table in db.metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key:
                db.session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql"
                                else "ANALYZE"))


def reindex(procs: int = 1, jobs: int = 1) -> float:
    """Rebuild every search index from the database, ``jobs`` kinds at a time; seconds."""
    from pen.search.adapters import registered
    from pen.search.cli import rebuild
    started = datetime.now(UTC)
    rebuild(list(registered().values()), procs, jobs)
    return (datetime.now(UTC) - started).total_seconds()


def summary(info: dict, seconds: dict[str, float]) -> str:
    """The final lines of the command."""
    c = info["counts"]
    return (f"{c['members']:,} members, {c['groups']} groups, {c['posts']:,} posts in "
            f"{c['topics']:,} topics, {c['documents']:,} documents, {c['nominations']} "
            f"nominations, {c['events']} events: generated in {seconds['generate']:.0f} s, "
            f"indexed in {seconds['index']:.0f} s (total {sum(seconds.values()):.0f} s)")


def per_page_chars(scale: float, requested: int | None) -> int:
    """Characters per document page: 1,500 unless asked otherwise (see the README)."""
    return requested if requested else 1500 if scale <= 10 else max(300, round(
        1500 / math.sqrt(scale / 10)))

