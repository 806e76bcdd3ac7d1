"""The library, the award cycle and the events of the network-scale generator."""

import random
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from sqlalchemy import insert, select

from bench import generate_text as texts
from bench.events import _events, _meetings
from pen.admin.demo_members import ensure_vocabulary
from pen.auth.models import User
from pen.extensions import db
from pen.library.models import Document, Version, Work, work_topics
from pen.library.vocabulary import DOC_TYPES

BATCH = 500  # works per insert: their texts are large
# The award cycle closed before any run (the committee's ranking is open); the events fill
# a fixed month, so that the same seed gives the same calendar whenever it is generated.
CYCLE_OPENS, CYCLE_CLOSES = datetime(2026, 1, 15, 9, 0), datetime(2026, 3, 31, 23, 59)
EVENTS_MONTH = datetime(2026, 12, 1, tzinfo=UTC)


def vocabulary() -> dict:
    """The expertise terms (created if missing)."""
    terms = ensure_vocabulary()
    db.session.commit()
    return terms


def library(rng: random.Random, count: int, groups: list[int], member_ids: list[int],
            page_chars: int) -> int:
    """``count`` editions of works in the six UN languages; a work in six has a second one."""
    terms = sorted(t.id for t in vocabulary().values())
    made, work_id = 0, 0
    with click.progressbar(length=count, label=f"{'documents':<12}", show_pos=True) as bar:
        while made < count:
            rows = []
            while made < count and len(rows) < BATCH:
                work_id += 1
                rows.append(_work(rng, work_id, terms, groups, member_ids, page_chars,
                                  editions=min(count - made, 2 if work_id % 6 == 0 else 1)))
                made += len(rows[-1]["editions"])
            _insert_works(rows)
            bar.update(sum(len(r["editions"]) for r in rows))
    return made


def _work(rng, work_id, terms, groups, member_ids, page_chars, editions: int) -> dict:
    """One work and its editions: access, type, year, topics, texts of 3-40 pages."""
    access = rng.choices(["network", "group", "admins"], [80, 15, 5])[0]
    languages = rng.choices(texts.LANGUAGES, texts.LANGUAGE_WEIGHTS)[:1]
    while len(languages) < editions:
        other = rng.choice(texts.LANGUAGES)
        if other not in languages:
            languages.append(other)
    day = datetime(2005, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * work_id)
    return {"id": work_id, "type": rng.choice(list(DOC_TYPES)), "year": rng.randint(1995, 2011),
            "access": access, "group": rng.choice(groups) if access == "group" else None,
            "terms": rng.sample(terms, rng.randint(1, 3)), "day": day,
            "by": rng.choice(member_ids),
            "editions": [_edition(rng, language, page_chars) for language in languages]}


def _edition(rng, language: str, page_chars: int) -> dict:
    """Title and text of one language edition."""
    body, offsets = texts.pages(rng, language, rng.randint(3, 40), page_chars)
    return {"language": language, "title": texts.title(rng, language), "text": body,
            "pages": offsets}


def _insert_works(rows: list[dict]) -> None:
    """Works, topics, editions and versions: four multi-row statements."""
    db.session.execute(insert(Work), [
        {"id": r["id"], "doc_type": r["type"], "authors": "PEN Secretariat", "year": r["year"],
         "country": None, "access": r["access"], "group_id": r["group"],
         "created_by_id": r["by"], "created_at": r["day"]} for r in rows])
    db.session.execute(insert(work_topics), [{"work_id": r["id"], "expertise_id": t}
                                             for r in rows for t in r["terms"]])
    editions = [(r, n, e) for r in rows for n, e in enumerate(r["editions"])]
    db.session.execute(insert(Document), [
        {"id": r["id"] * 2 + n, "work_id": r["id"], "language": e["language"],
         "title": e["title"][:300], "description": "", "description_html": "",
         "current_version_id": r["id"] * 2 + n, "download_count": 0, "uploaded_by_id": r["by"],
         "created_at": r["day"], "updated_at": r["day"]} for r, n, e in editions])
    db.session.execute(insert(Version), [
        {"id": r["id"] * 2 + n, "document_id": r["id"] * 2 + n, "number": 1,
         "filename": f"document-{r['id']}-{e['language']}.pdf",
         "stored_name": f"{r['id'] * 2 + n:032x}.pdf", "kind": "pdf",
         "content_type": "application/pdf", "size": len(e["text"].encode()),
         "sha256": f"{r['id'] * 2 + n:064x}", "note": "", "uploaded_by_id": r["by"],
         "created_at": r["day"], "download_count": 0, "extraction": "done",
         "extraction_error": "", "text": e["text"], "pages_json": e["pages"],
         "text_truncated": False} for r, n, e in editions])
    db.session.commit()


def awards(rng: random.Random, staff: dict, member_ids: list[int], nominations: int) -> int:
    """One closed cycle: 3 categories, a weighted rubric, nominations, every review."""
    from pen.awards import cycles, nominating, reviewing

    config = current_app.config
    clock = {"now": datetime(2026, 2, 1, tzinfo=UTC)}
    saved, config["AWARDS_CLOCK"] = config.get("AWARDS_CLOCK"), lambda: clock["now"]
    try:
        admin = db.session.get(User, staff["admin"])
        cycle = cycles.create_cycle(admin, cycles.CycleInput(
            "PEN Awards (bench)", "Nominate those who did most for PCB elimination.",
            "Europe/Zurich", CYCLE_OPENS, CYCLE_CLOSES))
        for name in ("PCB inventories", "Maintenance", "Environmentally sound management"):
            cycles.add_category(admin, cycle, name)
        for name, weight in (("Impact", 3), ("Replicability", 2), ("Stakeholders", 1)):
            cycles.add_criterion(admin, cycle, name, weight=weight)
        made = _nominations(rng, cycle, member_ids, nominations, nominating)
        clock["now"] = datetime(2026, 4, 10, tzinfo=UTC)
        reviewers = [db.session.get(User, i) for i in staff["reviewer_ids"]]
        with click.progressbar(made, label=f"{'reviews':<12}", show_pos=True) as bar:
            for nomination in bar:
                for reviewer in reviewers:
                    if reviewing.permissions.can_review(reviewer, nomination):
                        reviewing.save_review(reviewer, nomination, {
                            c.id: rng.randint(1, 5) for c in cycle.criteria},
                            "Well documented; " + " ".join(texts.words(rng, "en", 30)))
        db.session.commit()
        return cycle.id
    finally:
        config["AWARDS_CLOCK"] = saved


def _nominations(rng, cycle, member_ids, count: int, nominating) -> list:
    """``count`` submitted nominations of people, by random members."""
    made = []
    countries = ["PA", "GH", "VN", "NO", "CH", "BF", "SN", "CN", "JO", "RU", "BR", "IN"]
    with click.progressbar(range(count), label=f"{'nominations':<12}", show_pos=True) as bar:
        for i in bar:
            nominator = db.session.get(User, rng.choice(member_ids))
            statement = " ".join(texts.words(rng, "en", 120))
            made.append(nominating.save(nominator, cycle, nominating.NominationInput(
                category_id=cycle.categories[i % 3].id, nominee_kind="person",
                nominee_name=f"Nominee {i}", nominee_country=rng.choice(countries),
                statement=statement), submit=True))
    db.session.commit()
    return made


def events(rng: random.Random, count: int, groups: list[int], admin_id: int) -> str:
    """``count`` events and two meetings per group in a fixed month; the month (YYYY-MM)."""
    from pen.groups.models import Group

    group_rows = list(db.session.scalars(select(Group).where(Group.id.in_(groups))))
    _meetings(rng, group_rows, EVENTS_MONTH)
    _events(rng, count, group_rows, EVENTS_MONTH, admin_id)
    db.session.commit()
    return f"{EVENTS_MONTH:%Y-%m}"
