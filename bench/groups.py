"""Groups benchmark: many groups, members in several each; the group page and the cost
of the visibility filter.

    .venv/bin/python -m bench.groups
    .venv/bin/python -m bench.groups --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Generates members, 200 groups (members in several groups each, coordinators),
group discussions and public ones (bulk inserts), builds the post index, then
measures the server time (Flask test client, in process) of a group page for
one of its members (target p95 <= 50 ms), and of the forum's topic list and a
post search for a member (whose group filter applies) and for an administrator
(who sees everything): the member's time should be at most 20% above the
administrator's (compared on the median, the steadier figure).
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PASSWORD,
    area_options,
    command_line,
    db_name,
    figures_of,
    make_app,
    progress,
    report,
    run_on,
    signed_in,
)
from bench.forums import WORDS, _flush, _members, _topic, build_index
from pen.auth import service as accounts
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.forums.models import Category
from pen.groups.models import COORDINATOR, MEMBER, Group, GroupMembership

MEMBER_EMAIL, ADMIN_EMAIL = "bench0@example.org", "bench-admin@example.org"


def generate(args) -> dict:
    """Members, groups, memberships and topics; returns what the measurements need."""
    rng = random.Random(args.seed)
    user_ids = _members(args.members)
    accounts.create_user(ADMIN_EMAIL, "Bench Admin", PASSWORD, ("admin",),
                         status=UserStatus.ACTIVE)
    db.session.commit()
    groups = _groups(args.groups)
    first_groups = _memberships(rng, user_ids, groups, args.per_member)
    category = Category(name="General", slug="general", description="", description_html="")
    db.session.add(category)
    db.session.commit()
    topics = _topics(rng, category.id, groups, args, user_ids)
    _analyze()
    return {"groups": groups, "member_groups": first_groups, "category": category.slug,
            "topics": topics}


def _groups(count: int) -> list[tuple[int, str]]:
    rows = [{"id": i, "slug": f"group-{i}", "name": f"Thematic group {i}",
             "description": "", "description_html": "<p>Bench group.</p>",
             "visibility": "listed" if i % 5 else "unlisted", "join_policy": "request"}
            for i in range(1, count + 1)]
    db.session.execute(insert(Group.__table__), rows)
    db.session.commit()
    return [(row["id"], row["slug"]) for row in rows]


def _memberships(rng, user_ids, groups, per_member: int) -> list[str]:
    """Each member in ``per_member`` random groups; the first member of a group
    coordinates it. Returns the slugs of bench0's groups."""
    rows, coordinated = [], set()
    for user_id in user_ids:
        for group_id, _slug in rng.sample(groups, per_member):
            role = COORDINATOR if group_id not in coordinated else MEMBER
            coordinated.add(group_id)
            rows.append({"group_id": group_id, "user_id": user_id, "role": role})
    db.session.execute(insert(GroupMembership.__table__), rows)
    db.session.commit()
    mine = {r["group_id"] for r in rows if r["user_id"] == user_ids[0]}
    return [slug for group_id, slug in groups if group_id in mine]


def _topics(rng, category_id, groups, args, user_ids) -> int:
    """``--group-topics`` per group and as many public topics, 5-15 posts each."""
    total = len(groups) * args.group_topics * 2
    topic_rows, post_rows, first = [], [], 0
    for topic_id in range(1, total + 1):
        row = _topic(rng, topic_id, category_id, rng.randint(5, 15), post_rows, first,
                     user_ids, groups[topic_id % len(groups)][0] if topic_id % 2 else None)
        topic_rows.append(row)
        first = row["last_post_id"]
        if len(post_rows) >= 20_000:
            _flush(topic_rows, post_rows)
        if topic_id % 200 == 0:
            progress("topics", topic_id, total)
    _flush(topic_rows, post_rows)
    progress("topics", total, total)
    return total


def _analyze() -> None:
    if db.engine.dialect.name == "postgresql":
        for table in ("forum_topics", "forum_posts", "groups"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def timed(client, urls, runs: int) -> list[float]:
    """Server times (ms) of GETs of ``urls(i)``; every answer must be 200."""
    times = []
    for i in range(runs):
        url = urls(i)
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def paired(member, admin, urls, runs: int) -> tuple[list[float], list[float]]:
    """The same GETs by the member and the administrator, alternated request by request so
    that load from elsewhere on the machine falls on both alike."""
    mine, theirs = [], []
    for i in range(runs):
        first, second = (member, admin) if i % 2 else (admin, member)
        url = urls(i)
        a, b = timed(first, lambda _i: url, 1), timed(second, lambda _i: url, 1)  # noqa: B023
        (mine if first is member else theirs).extend(a)
        (theirs if first is member else mine).extend(b)
    return mine, theirs


def measure(app, info: dict, runs: int, seed: int) -> dict[str, list[float]]:
    """Time each page for the member and for the administrator."""
    rng = random.Random(seed + 1)
    member, admin = signed_in(app, MEMBER_EMAIL), signed_in(app, ADMIN_EMAIL)
    mine = info["member_groups"]
    queries = [f"{rng.choice(WORDS)}+{rng.choice(WORDS)}" for _ in range(runs)]
    for client in (member, admin):
        for url in ("/groups/", f"/forums/c/{info['category']}", "/forums/search?q=oil"):
            client.get(url)  # warm up caches and the searcher
    pages = {"topic list": lambda i: f"/forums/c/{info['category']}?page={1 + i % 5}",
             "post search": lambda i: f"/forums/search?q={queries[i]}",
             "group list": lambda i: f"/groups/?page={1 + i % 3}"}
    results = {}
    for name, urls in pages.items():
        results[f"{name} (member)"], results[f"{name} (admin)"] = paired(
            member, admin, urls, runs)
    results["group page (member)"] = timed(member, lambda i: f"/groups/{mine[i % len(mine)]}",
                                           runs)
    results["group discussions (member)"] = timed(
        member, lambda i: f"/forums/g/{mine[i % len(mine)]}", runs)
    return results


def summarise(results: dict[str, list[float]]) -> None:
    """One line per figure, then the member/admin overheads with their target."""
    medians = {}
    for name, values in results.items():
        figures = figures_of(values)
        medians[name] = figures["p50"]
        target = 50.0 if name.startswith("group page") else None
        print(report(name, figures, target))
    for what in ("topic list", "post search", "group list"):
        ratio = medians[f"{what} (member)"] / medians[f"{what} (admin)"] - 1
        verdict = "met" if ratio <= 0.20 else "MISSED"
        print(f"visibility filter overhead on {what:<12} {ratio * 100:+6.1f}% of the admin's "
              f"median  target <= +20%: {verdict}")


def main() -> None:
    """Read the options; run on SQLite or in a throwaway PostgreSQL schema."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--members", type=int, default=600)
    parser.add_argument("--per-member", type=int, default=4, help="groups each member is in")
    parser.add_argument("--group-topics", type=int, default=10,
                        help="topics per group (as many public ones are added)")
    area_options(parser)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="pen-bench-")
    run_on(args.database, lambda schema: run(args, data_dir, schema))


def run(args, data_dir: str, schema: str | None) -> None:
    """Generate, index, measure, print."""
    app = make_app(args.database, data_dir, schema)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        info = generate(args)
        generated = time.perf_counter() - started
        indexed = build_index()
        db.session.remove()
    with app.app_context():
        results = measure(app, info, args.runs, args.seed)
        db.engine.dispose()
    print(f"\n{args.groups} groups, {args.members} members in {args.per_member} groups each, "
          f"{info['topics']:,} topics ({db_name(args.database)}); "
          f"generated in {generated:.0f} s, indexed in {indexed:.0f} s")
    summarise(results)
    print(command_line())


if __name__ == "__main__":
    main()
