"""Home benchmark: the member's home page and the activity feed at a realistic scale.

    .venv/bin/python -m bench.home
    .venv/bin/python -m bench.home --topics 5000 --posts 40000 --documents 5000 \
        --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Generates, with bulk inserts over two years: members, thematic groups (each
member in a few), forum topics (a third in groups, some deleted) and replies,
library documents (network, group and admins-only) with editions and versions,
meetings, work-plan activities and announced award cycles. Then times, in
process (Flask test client): the home page, the feed's first page (everything,
my groups, one kind), the fifth page (following the "Older" links), and the
administrators' dashboard. On PostgreSQL the tables are ANALYZEd after the bulk
load, as autovacuum would have done on a live site. Prints p50/p95/p99 and the command line. On
PostgreSQL the data goes into a schema of its own, dropped at the end.
"""

import argparse
import random
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PASSWORD,
    area_options,
    command_line,
    db_name,
    make_app,
    progress,
    report,
    run_on,
    signed_in,
    time_calls,
)
from pen.auth import service as accounts
from pen.auth.models import User, UserStatus
from pen.awards.models import AwardCycle
from pen.extensions import db
from pen.forums.models import Category, Post, Topic
from pen.groups.models import Activity, Group, GroupMembership, Meeting
from pen.library.models import Document, Version, Work

NOW = datetime.now(UTC)
SPAN = timedelta(days=730)
TARGET_MS = 150.0


def moment(rng: random.Random) -> datetime:
    """A random time in the last two years."""
    return NOW - SPAN * rng.random()


def _bulk(model, rows: list[dict], label: str, chunk: int = 2000) -> None:
    """Insert rows in chunks, with a progress bar."""
    for start in range(0, len(rows), chunk):
        db.session.execute(insert(model.__table__), rows[start:start + chunk])
        progress(label, min(start + chunk, len(rows)), len(rows))
    db.session.commit()


def _people(rng, count: int, groups: int) -> list[int]:
    """Active members, the groups, and each member in three groups."""
    rows = [{"id": 1000 + n, "email": f"m{n}@bench.example", "display_name": f"Member {n}",
             "status": UserStatus.ACTIVE, "created_at": moment(rng)} for n in range(count)]
    _bulk(User, rows, "members")
    _bulk(Group, [{"id": g + 1, "slug": f"group-{g}", "name": f"Thematic group {g}",
                   "created_at": NOW - SPAN} for g in range(groups)], "groups")
    memberships = [{"group_id": g, "user_id": row["id"], "joined_at": moment(rng)}
                   for row in rows for g in rng.sample(range(1, groups + 1), 3)]
    _bulk(GroupMembership, memberships, "memberships")
    return [row["id"] for row in rows]


def _forums(rng, users: list[int], groups: int, topics: int, posts: int) -> None:
    """Categories, topics (a third in groups, a few deleted) and their posts."""
    _bulk(Category, [{"id": c + 1, "name": f"Category {c}", "slug": f"c{c}"}
                     for c in range(8)], "categories")
    topic_rows = [{"id": t + 1, "category_id": rng.randint(1, 8), "title": f"Topic {t}",
                   "group_id": rng.randint(1, groups) if rng.random() < 0.33 else None,
                   "author_id": rng.choice(users), "created_at": moment(rng),
                   "deleted": rng.random() < 0.03} for t in range(topics)]
    _bulk(Topic, topic_rows, "topics")
    post_rows, numbers = [], {}
    for p in range(posts):
        topic = topic_rows[p % topics] if p < topics else rng.choice(topic_rows)
        numbers[topic["id"]] = numbers.get(topic["id"], 0) + 1
        at = topic["created_at"] if numbers[topic["id"]] == 1 else moment(rng)
        post_rows.append({"topic_id": topic["id"], "group_id": topic["group_id"],
                          "number": numbers[topic["id"]],
                          "author_id": rng.choice(users), "body": "Text.",
                          "body_html": "<p>Text.</p>", "created_at": max(at, topic["created_at"])})
    _bulk(Post, post_rows, "posts")


def _library(rng, users: list[int], groups: int, documents: int) -> None:
    """Works of every access level, editions in up to three languages, some second versions."""
    access = ("network", "network", "group", "admins")
    works = [{"id": w + 1, "doc_type": "guidance", "access": (a := rng.choice(access)),
              "group_id": rng.randint(1, groups) if a == "group" else None,
              "created_at": moment(rng)} for w in range(documents * 4 // 5)]
    _bulk(Work, works, "works")
    docs = [{"id": d + 1, "work_id": works[d % len(works)]["id"],
             "language": ("en", "fr", "es")[d // len(works)], "title": f"Document {d}",
             "uploaded_by_id": rng.choice(users), "download_count": rng.randint(0, 300),
             "created_at": works[d % len(works)]["created_at"] + timedelta(days=d // len(works))}
            for d in range(documents)]
    _bulk(Document, docs, "documents")
    versions = [{"document_id": d["id"], "number": n, "filename": "f.pdf", "stored_name": "x",
                 "kind": "pdf", "content_type": "application/pdf", "size": 1, "sha256": "0" * 64,
                 "created_at": d["created_at"] + timedelta(days=30 * (n - 1))}
                for d in docs for n in range(1, 2 + (d["id"] % 5 == 0))]
    _bulk(Version, versions, "versions")


def _groups_and_awards(rng, groups: int) -> None:
    """Meetings, work-plan items, and award cycles (the last not yet announced)."""
    _bulk(Meeting, [{"group_id": rng.randint(1, groups), "title": f"Meeting {m}",
                     "starts_at": moment(rng) + SPAN / 2, "created_at": moment(rng)}
                    for m in range(groups * 6)], "meetings")
    _bulk(Activity, [{"group_id": rng.randint(1, groups), "title": f"Activity {a}",
                      "created_at": moment(rng)} for a in range(groups * 10)], "activities")
    _bulk(AwardCycle, [{"name": f"PEN Awards {y}", "opens_at": NOW - SPAN,
                        "closes_at": NOW - SPAN / 2,
                        "announced_at": moment(rng) if y < 2012 else None}
                       for y in (2010, 2011, 2012)], "awards")


def generate(args) -> tuple[User, User]:
    """The network's data in bulk; the member and the administrator whose pages are timed."""
    rng = random.Random(args.seed)
    users = _people(rng, args.members, args.groups)
    _forums(rng, users, args.groups, args.topics, args.posts)
    _library(rng, users, args.groups, args.documents)
    _groups_and_awards(rng, args.groups)
    member = accounts.create_user("member@bench.example", "Bench Member", PASSWORD)
    admin = accounts.create_user("admin@bench.example", "Bench Admin", PASSWORD, ("admin",))
    db.session.flush()
    db.session.add_all(GroupMembership(group_id=g, user_id=member.id) for g in (1, 2, 3))
    db.session.commit()
    return member, admin


def fifth_page_url(client) -> str:
    """Follow the "Older" link four times from the first page of the feed."""
    url = "/activity"
    for _ in range(4):
        page = client.get(url).get_data(as_text=True)
        url = re.search(r'href="([^"]*before=[^"]*)" rel="next"', page).group(1)
        url = url.replace("&amp;", "&")
    return url


def get(client, url: str):
    """A GET that must answer 200."""
    def call():
        """One request."""
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return call


def measure(app, runs: int) -> list[tuple[str, dict]]:
    """Time the pages, each ``runs`` times."""
    member, admin = signed_in(app, "member@bench.example"), signed_in(app, "admin@bench.example")
    pages = [("home page (member)", member, "/"),
             ("feed, everything, page 1", member, "/activity"),
             ("feed, my groups, page 1", member, "/activity?scope=mine"),
             ("feed, library only, page 1", member, "/activity?kind=library"),
             ("feed, everything, page 5", member, fifth_page_url(member)),
             ("feed, everything, page 1 (admin)", admin, "/activity"),
             ("admin dashboard", admin, "/admin/dashboard")]
    return [(label, time_calls(get(client, url), runs)) for label, client, url in pages]


def run(args, data_dir: str, schema: str | None) -> None:
    """Generate, then measure, then print."""
    app = make_app(args.database, data_dir, schema)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        generate(args)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))  # statistics, as autovacuum keeps them live
            db.session.commit()
        generated = time.perf_counter() - started
        db.session.remove()
    results = measure(app, args.runs)  # each request in its own app context, as in production
    with app.app_context():
        db.engine.dispose()
    print(f"\n{args.members} members, {args.groups} groups, {args.topics:,} topics, "
          f"{args.posts:,} posts, {args.documents:,} documents ({db_name(args.database)}); "
          f"generated in {generated:.0f} s")
    for label, figures in results:
        print(report(label, figures, TARGET_MS))
    print(command_line())


def main() -> None:
    """Parse the options and run on SQLite or in a throwaway PostgreSQL schema."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=550)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--topics", type=int, default=4000)
    parser.add_argument("--posts", type=int, default=30000)
    parser.add_argument("--documents", type=int, default=3000)
    area_options(parser, runs=40)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="pen-bench-home-")
    run_on(args.database, lambda schema: run(args, data_dir, schema))


if __name__ == "__main__":
    main()
