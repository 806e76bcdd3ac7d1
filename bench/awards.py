"""Awards benchmark: the ranking page with 60 nominations, each reviewed by 8 reviewers.

    .venv/bin/python -m bench.awards
    .venv/bin/python -m bench.awards --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Builds one cycle (3 categories, a 3-criterion rubric), 60 submitted
nominations and 8 committee members who all review every nomination (480
reviews), a few of them flagged in conflict by country, all through the
services. Then times, in process (Flask test client), the committee's ranking
page, the administrators' decisions page and a nomination page with its reviews.
Prints p50/p95/p99 against the target and the command line.
"""

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import current_app

from bench.common import (
    PASSWORD,
    area_options,
    command_line,
    db_name,
    make_app,
    ok,
    progress,
    report,
    run_on,
    time_calls,
)
from pen.auth import service as accounts
from pen.awards import cycles, nominating, reviewing
from pen.extensions import db
from pen.members.service import profile_of

TARGET_MS = 150.0
COUNTRIES = ["PA", "GH", "VN", "NO", "CH", "BF", "SN", "CN", "JO", "RU", "BR", "IN"]


def person(email: str, name: str, roles=(), country: str | None = None):
    """An active account with an organisation and a country."""
    user = accounts.create_user(email, name, PASSWORD, roles)
    profile = profile_of(user)
    profile.organisation, profile.country = f"Organisation of {name}", country
    return user


def generate(nominations: int, reviewers: int, seed: int) -> dict:
    """The cycle, its nominations and every reviewer's review of each, via the services."""
    rng = random.Random(seed)
    clock = {"now": datetime(2011, 2, 1, tzinfo=UTC)}
    current_app.config["AWARDS_CLOCK"] = lambda: clock["now"]
    admin = person("admin@bench.example", "Admin", ("admin",))
    committee = [person(f"reviewer{i}@bench.example", f"Reviewer {i}", ("committee",),
                        COUNTRIES[i % len(COUNTRIES)]) for i in range(reviewers)]
    db.session.commit()
    cycle = cycles.create_cycle(admin, cycles.CycleInput(
        "PEN Awards 2011", "", "Europe/Zurich", datetime(2011, 1, 1), datetime(2011, 3, 1, 23, 59)))
    for name in ("PCB inventories", "Maintenance", "Environmentally sound management"):
        cycles.add_category(admin, cycle, name)
    for name, weight in (("Impact", 3), ("Replicability", 2), ("Stakeholders", 1)):
        cycles.add_criterion(admin, cycle, name, weight=weight)
    made = []
    for i in range(nominations):
        nominator = person(f"nominator{i}@bench.example", f"Nominator {i}",
                           country=rng.choice(COUNTRIES))
        made.append(nominating.save(nominator, cycle, nominating.NominationInput(
            category_id=cycle.categories[i % 3].id, nominee_kind="person",
            nominee_name=f"Nominee {i}", nominee_country=rng.choice(COUNTRIES),
            statement="Outstanding work on PCB elimination. " * 20), submit=True))
        progress("nominations", i + 1, nominations)
    clock["now"] = datetime(2011, 3, 10, tzinfo=UTC)
    for i, nomination in enumerate(made):
        for reviewer in committee:
            if permissions_allow(reviewer, nomination):
                reviewing.save_review(reviewer, nomination, {
                    c.id: rng.randint(1, 5) for c in cycle.criteria}, "Comment. " * 30)
        progress("reviews", i + 1, len(made))
    return {"cycle": cycle.id, "nomination": made[0].id, "reviewer": committee[0].email,
            "reviews": sum(1 for _ in db.session.scalars(db.select(reviewing.Review.id)))}


def permissions_allow(reviewer, nomination) -> bool:
    """Whether the reviewer may score (flagged conflicts are left as they are)."""
    return reviewing.permissions.can_review(reviewer, nomination)


def measure(app, info: dict, runs: int) -> dict[str, dict]:
    """Time the pages as the committee member and the administrator see them."""
    results = {}
    with app.test_client() as client:
        client.post("/auth/login", data={"email": info["reviewer"], "password": PASSWORD})
        results["ranking page (committee)"] = time_calls(
            lambda: ok(client.get(f"/awards/{info['cycle']}/ranking")), runs)
        results["nomination page with 8 reviews"] = time_calls(
            lambda: ok(client.get(f"/awards/n/{info['nomination']}")), runs)
    with app.test_client() as client:
        client.post("/auth/login", data={"email": "admin@bench.example", "password": PASSWORD})
        results["decisions page (admin)"] = time_calls(
            lambda: ok(client.get(f"/awards/{info['cycle']}/decisions")), runs)
    return results


def run(args, schema: str | None) -> None:
    """Generate, measure, print."""
    url = args.database
    app = make_app(url, Path(tempfile.mkdtemp(prefix="pen-bench-awards-")), schema)
    with app.app_context():
        db.create_all()
        info = generate(args.nominations, args.reviewers, args.seed)
        db.session.remove()
    results = measure(app, info, args.runs)  # each request in its own app context
    with app.app_context():
        db.engine.dispose()
    print(f"\n{args.nominations} nominations x {args.reviewers} reviewers "
          f"({info['reviews']} reviews, the rest kept out by conflicts) on "
          f"{db_name(url)}")
    for name, figures in results.items():
        print(report(name, figures, TARGET_MS))
    print(command_line("bench.awards"))


def main() -> None:
    """Parse the options and run on SQLite or in a temporary PostgreSQL schema."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nominations", type=int, default=60)
    parser.add_argument("--reviewers", type=int, default=8)
    area_options(parser)
    args = parser.parse_args()
    run_on(args.database, lambda schema: run(args, schema))


if __name__ == "__main__":
    main()
