"""Member database at scale: generate members, reindex, time the directory and the import.

    .venv/bin/python -m bench.members --members 55000            # SQLite
    .venv/bin/python -m bench.members --members 55000 \\
        --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test  # its own schema, dropped after

Targets (issue 3): directory page with two facets p95 <= 50 ms server time, free-text
member search p95 <= 100 ms, import of the 520-line contact list <= 5 s, full reindex
<= 60 s. Server time is the time the app takes for a request, measured in-process
with the test client (no network, no browser).
"""

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bench.common import bench_app, pg_schema, report, signed_in, time_calls
from pen import search
from pen.admin.demo_members import ensure_vocabulary
from pen.auth import service as accounts
from pen.auth.models import User, user_roles
from pen.extensions import db
from pen.members import countries
from pen.members.importer import import_members
from pen.members.indexing import MemberAdapter
from pen.members.models import Profile, ProfileLanguage, profile_expertise
from pen.search import index

CONTACT_LIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "pen-members-2011.csv"
FIRST = """Amina Issa Lan María Olga Jean Ahmed John Wei Fatou José Ivan Chen Aïcha Kofi Ana
    Moussa Ingrid Priya Hans Mariana Youssef Olena Grace Sofía Dmitri Carmen Zhang Nadia
    Tomasz Jürgen Ngozi Émile Søren Kwame Leila Farid Hiroshi Mei Rosa Pedro""".split()
LAST = """Diallo Ouédraogo Nguyen González Ivanova Dupont Hassan Smith Zhang Sow Pérez Petrov Li
    Traoré Mensah Ndiaye Larsen Raman Weber Silva Benali Kovalenko Banda Herrera Volkov
    Rodríguez Wang Al-Sayed Nováková Andersson Mwangi Tanaka Kowalski Haddad Okafor""".split()
ORGS = ("Ministry of Environment", "National Electricity Company",
        "Environmental Protection Agency", "Stockholm Convention Regional Centre",
        "Toxics Action Network", "University Institute of Chemistry",
        "Power Transmission Company", "Cement Company")
WORDS = """PCB inventory transformers capacitors disposal decontamination sampling analysis
    legislation maintenance equipment oil environmentally sound management phase-out
    labelling storage incineration dechlorination customs awareness workshop""".split()
ORG_TYPES = ["government", "ngo", "industry", "utility", "intergovernmental", "academia",
             "regional_centre"]
LANGS = ["en", "fr", "es", "ru", "ar", "zh", "de", "pt"]


def generate(count: int, seed: int = 2011, batch: int = 5000) -> None:
    """Insert ``count`` members with profiles in bulk (deterministic for a seed)."""
    rng = random.Random(seed)
    terms = [t.id for t in ensure_vocabulary().values()]
    member_role = accounts.role("member")
    db.session.commit()
    codes = sorted(countries.REGION_OF)
    start = (db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0) + 1
    for first_id in range(start, start + count, batch):
        ids = range(first_id, min(first_id + batch, start + count))
        people = [_person(rng, i, codes, terms) for i in ids]
        _insert(people, member_role.id)
    db.session.commit()


def _person(rng: random.Random, user_id: int, codes, terms) -> dict:
    country = rng.choice(codes)
    return {
        "id": user_id, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "country": country,
        "org": f"{rng.choice(ORGS)} of {countries.name(country)}",
        "org_type": rng.choice(ORG_TYPES), "role": rng.choice(["ocp", "nfp", "dna", "expert"]),
        "status": "active" if rng.random() < 0.95 else "invited",
        "bio": " ".join(rng.choices(WORDS, k=30)),
        "terms": rng.sample(terms, rng.randint(1, 3)), "langs": rng.sample(LANGS, 2),
        "joined": datetime(2011, 1, 1, tzinfo=UTC) + timedelta(minutes=user_id),
    }


def _insert(people: list[dict], role_id: int) -> None:
    db.session.execute(insert(User), [
        {"id": p["id"], "email": f"member{p['id']}@bench.example", "display_name": p["name"],
         "status": p["status"], "session_nonce": "x", "created_at": p["joined"]}
        for p in people])
    db.session.execute(insert(user_roles), [{"user_id": p["id"], "role_id": role_id}
                                            for p in people])
    db.session.execute(insert(Profile), [
        {"user_id": p["id"], "organisation": p["org"], "organisation_type": p["org_type"],
         "country": p["country"], "region": countries.REGION_OF[p["country"]],
         "convention_role": p["role"], "bio": p["bio"], "bio_html": f"<p>{p['bio']}</p>",
         "title": "", "phone": "", "email_visibility": "members", "phone_visibility": "members",
         "updated_at": p["joined"]} for p in people])
    db.session.execute(insert(profile_expertise), [
        {"user_id": p["id"], "expertise_id": t} for p in people for t in p["terms"]])
    db.session.execute(insert(ProfileLanguage), [
        {"user_id": p["id"], "code": c} for p in people for c in p["langs"]])


def measure_directory(app, repeat: int, seed: int = 7) -> list[str]:
    """p50/p95 of the directory with two facets and of free-text search, as a member sees."""
    rng = random.Random(seed)
    client = signed_in(app, "bench@bench.example", "bench-password")
    slugs = list(countries.REGION_SLUGS.values())
    terms = [t.id for t in ensure_vocabulary().values()]

    def two_facets():
        url = f"/members/?region={rng.choice(slugs)}&expertise={rng.choice(terms)}"
        assert client.get(url).status_code == 200

    def free_text():
        q = rng.choice([rng.choice(LAST), rng.choice(WORDS), "ouedraogo", "gonzalez",
                        f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        f"{rng.choice(WORDS)} {rng.choice(WORDS)}"])
        assert client.get("/members/", query_string={"q": q}).status_code == 200

    return [report("directory page, two facets", time_calls(two_facets, repeat), 50),
            report("directory page, free-text search", time_calls(free_text, repeat), 100),
            report("directory page, no filter (sorted by name)",
                   time_calls(lambda: client.get("/members/"), repeat))]


def measure_import(db_url: str | None) -> str:
    """Seconds to import the 520-line contact list into an empty database."""
    if not CONTACT_LIST.exists():
        return f"import: skipped, {CONTACT_LIST} not found"
    app, _ = bench_app(db_url)
    with app.app_context():
        db.create_all()
        ensure_vocabulary()
        db.session.commit()
        started = time.perf_counter()
        result = import_members(CONTACT_LIST.read_text(encoding="utf-8-sig"))
        seconds = time.perf_counter() - started
    verdict = "met" if seconds <= 5 else "MISSED"
    return (f"import of {len(result.lines)} lines ({result.summary()}): {seconds:.2f} s  "
            f"target <= 5 s: {verdict}")


def run(members: int, repeat: int, db_url: str | None, workdir: Path | None = None,
        reindex: bool = True) -> None:
    """Generate (unless ``workdir`` holds them already), reindex, measure; one line per figure."""
    app, _ = bench_app(db_url, workdir)
    with app.app_context():
        db.create_all()
        have = db.session.scalar(select(func.count()).select_from(User))
        if have < members + 1:
            _generate_all(members)
        else:
            print(f"reusing {have - 1} generated members in {workdir}")
        if reindex:
            started, cpu = time.perf_counter(), time.process_time()
            count = index.rebuild(MemberAdapter())
            seconds = time.perf_counter() - started
            print(f"full reindex of {count} members: {seconds:.1f} s "
                  f"(CPU {time.process_time() - cpu:.1f} s)  target <= 60 s: "
                  f"{'met' if seconds <= 60 else 'MISSED'}")
        started = time.perf_counter()
        words = search.warm([MemberAdapter.kind])
        print(f"warm-up (what a server does in the background when it opens the index): "
              f"{words} frequent words read in {time.perf_counter() - started:.1f} s")
        for line in measure_directory(app, repeat):
            print(line)
        db.session.remove()
        db.engine.dispose()


def _generate_all(members: int) -> None:
    """The signed-in bench account and ``members`` generated members."""
    accounts.create_user("bench@bench.example", "Bench Member", "bench-password")
    db.session.commit()
    started = time.perf_counter()
    generate(members)
    print(f"generated {members} members in {time.perf_counter() - started:.1f} s")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=55_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--db-url", default=None, help="PostgreSQL URL; default SQLite")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="SQLite data folder kept between runs: members generated by an "
                             "earlier run there are reused (default: a new temporary folder)")
    parser.add_argument("--no-reindex", dest="reindex", action="store_false",
                        help="measure the pages with the index already in --workdir")
    args = parser.parse_args()
    if args.workdir and args.db_url:
        parser.error("--workdir keeps a SQLite database; it cannot be used with --db-url")
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    with pg_schema(args.db_url) as url:
        run(args.members, args.repeat, url, args.workdir, args.reindex)
    with pg_schema(args.db_url) as url:
        print(measure_import(url))


if __name__ == "__main__":
    main()
