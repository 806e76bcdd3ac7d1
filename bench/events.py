"""Events benchmark: the calendar month page with 50 events, the list and the feed.

    .venv/bin/python -m bench.events
    .venv/bin/python -m bench.events --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Generates 300 members, 10 thematic groups (the measured member belongs to 3,
each group has 2 meetings that month) and 50 events in one month: webinars of
one to four sessions, workshops over several days, a fifth of them group events
(half in the member's groups). Then times, in process (Flask test client), the
month page for that member (target p95 <= 100 ms) and for an administrator (who
sees every group), the upcoming list, and the member's .ics feed.
"""

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    area_options,
    command_line,
    db_name,
    make_app,
    ok,
    report,
    run_on,
    time_calls,
)
from pen.auth import service as accounts
from pen.auth.models import UserStatus
from pen.events.models import Event, EventSession
from pen.extensions import db
from pen.groups.models import MEMBER, Group, GroupMembership, Meeting
from pen.members.service import profile_of
from pen.notifications import feedkeys
from pen.types import utcnow

PASSWORD = "bench-password"  # noqa: S105 - a throwaway benchmark account
MEMBER_EMAIL, ADMIN_EMAIL = "bench0@example.org", "bench-admin@example.org"
TARGET_MS = 100.0
ZONES = ("Europe/Zurich", "America/Panama", "Africa/Dakar", "Asia/Bangkok", "UTC")


def _month_start() -> datetime:
    """The first of next month, 00:00 UTC (upcoming, so the list shows them too)."""
    now = utcnow()
    return (now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            + timedelta(days=32)).replace(day=1)


def generate(args) -> dict:
    """Members, groups, meetings and events; what the measurements need."""
    rng = random.Random(args.seed)
    users = [accounts.create_user(f"bench{i}@example.org", f"Bench Member {i}",
                                  PASSWORD if i == 0 else None, status=UserStatus.ACTIVE)
             for i in range(args.members)]
    admin = accounts.create_user(ADMIN_EMAIL, "Bench Admin", PASSWORD, ("admin",),
                                 status=UserStatus.ACTIVE)
    profile_of(users[0]).timezone = "Asia/Ho_Chi_Minh"
    groups = [Group(slug=f"group-{i}", name=f"Group {i}") for i in range(args.groups)]
    db.session.add_all(groups)
    db.session.flush()
    for index, group in enumerate(groups):
        members = rng.sample(users[1:], 12) + ([users[0]] if index < 3 else [])
        db.session.add_all(GroupMembership(group_id=group.id, user_id=u.id, role=MEMBER)
                           for u in members)
    start = _month_start()
    _meetings(rng, groups, start)
    _events(rng, args.events, groups, start, admin.id)
    db.session.commit()
    return {"month": f"{start:%Y-%m}", "token": feedkeys.renew(users[0])}


def _meetings(rng, groups, start: datetime) -> None:
    """Two meetings per group in the month."""
    for group in groups:
        for _ in range(2):
            db.session.add(Meeting(group_id=group.id, title=f"{group.name} meeting",
                                   starts_at=start + timedelta(days=rng.randrange(28),
                                                               hours=rng.randrange(8, 17)),
                                   timezone=rng.choice(ZONES), place="Online"))


def _events(rng, count: int, groups, start: datetime, organiser_id: int) -> None:
    """Webinars of 1-4 sessions and multi-day workshops; every fifth a group's."""
    for number in range(count):
        first = start + timedelta(days=rng.randrange(26), hours=rng.randrange(7, 16))
        webinar = number % 2 == 0
        spans = [(first + timedelta(days=2 * i), first + timedelta(days=2 * i, hours=1))
                 for i in range(rng.randint(1, 4))] if webinar else \
            [(first, first + timedelta(days=rng.randint(0, 3), hours=8))]
        group_id = groups[number % len(groups)].id if number % 5 == 0 else None
        event = Event(title=f"Bench {'webinar' if webinar else 'workshop'} {number}",
                      kind="webinar" if webinar else "workshop", timezone=rng.choice(ZONES),
                      starts_at=spans[0][0], ends_at=spans[-1][1], group_id=group_id,
                      organiser_id=organiser_id, region=None, registration="open",
                      created_at=datetime.now(UTC))
        event.sessions = [EventSession(starts_at=s, ends_at=e) for s, e in spans]
        db.session.add(event)


def measure(app, info: dict, runs: int) -> dict[str, dict]:
    """Month page (member, administrator), list page and feed."""
    results = {}
    month = f"/events/?month={info['month']}"
    with app.test_client() as client:
        client.post("/auth/login", data={"email": MEMBER_EMAIL, "password": PASSWORD})
        results["month page, member (3 groups)"] = time_calls(
            lambda: ok(client.get(month)), runs)
        results["upcoming list, member"] = time_calls(
            lambda: ok(client.get("/events/list")), runs)
        results["events.ics feed, member"] = time_calls(
            lambda: ok(client.get(f"/events.ics?key={info['token']}")), runs)
    with app.test_client() as client:
        client.post("/auth/login", data={"email": ADMIN_EMAIL, "password": PASSWORD})
        results["month page, administrator"] = time_calls(lambda: ok(client.get(month)), runs)
    return results


def run(args, schema: str | None) -> None:
    """Generate, measure, print."""
    url = args.database
    app = make_app(url, Path(tempfile.mkdtemp(prefix="pen-bench-events-")), schema)
    with app.app_context():
        db.create_all()
        info = generate(args)
        db.session.remove()
    results = measure(app, info, args.runs)
    with app.app_context():
        db.engine.dispose()
    print(f"\n{args.events} events and {2 * args.groups} group meetings in {info['month']}, "
          f"{args.members} members, on {db_name(url)}")
    for name, figures in results.items():
        print(report(name, figures, TARGET_MS if name.startswith("month page") else None))
    print(command_line("bench.events"))


def main() -> None:
    """Parse the options and run on SQLite or in a temporary PostgreSQL schema."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--members", type=int, default=300)
    area_options(parser)
    args = parser.parse_args()
    run_on(args.database, lambda schema: run(args, schema))


if __name__ == "__main__":
    main()
