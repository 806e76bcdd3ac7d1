"""Forum benchmark: generate posts in bulk, then time the pages the issue names.

    .venv/bin/python -m bench.forums --posts 50000
    .venv/bin/python -m bench.forums --posts 500000 \
        --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Generates members, categories, topics (one long topic for first/middle/last
page timings) and posts with bulk inserts, builds the search index, then
measures the server time (Flask test client, in process) of: the category
list, a topic list, a topic page (first, middle, last page), posting a reply
(the index row is queued, applied later by the worker) and a post search.
Prints p50/p95 per measurement and the command line. On PostgreSQL the data
goes into a schema of its own (``pen.testing.temporary_schema``), dropped at the end.
"""

import argparse
import itertools
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from markupsafe import escape
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PASSWORD,
    area_options,
    command_line,
    db_name,
    figures_of,
    make_app,
    percentile,
    progress,
    report,
    run_on,
    signed_in,
)
from pen import search
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.forums import indexing
from pen.forums.models import Category, Post, Topic
from pen.search import index as search_index

WORDS = ("transformer capacitor oil sampling inventory disposal dechlorination incineration "
         "labelling leak maintenance utility workshop laboratory ppm analysis export storage "
         "regulation phase-out equipment switchgear decontamination chloride screening kit "
         "national plan owner survey questionnaire drum container warehouse contamination "
         "cement kiln Basel Stockholm convention guidance training workshop Panama Dakar "
         "Geneva hazardous waste electrical grid substation insulation fluid askarel").split()
START = datetime(2011, 1, 1, tzinfo=UTC)


def _vocabulary(size: int = 3000) -> tuple[list[str], list[float]]:
    """Words with Zipf weights, as in real text: the domain words among the frequent ones."""
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ne", "tra", "po", "ru", "de", "sa", "vi", "con", "ter"]
    filler = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
              for _ in range(size * 2)}
    words = sorted(filler)[:size]
    for i, word in enumerate(WORDS):  # ranks 5, 15, 25…: frequent, not the most frequent
        words.insert(5 + i * 10, word)
    return words, [1 / (rank + 1) for rank in range(len(words))]


VOCABULARY, WEIGHTS = _vocabulary()
CUMULATIVE = list(itertools.accumulate(WEIGHTS))  # summed once, not on every ``choices`` call


def sentence(rng: random.Random, n: int) -> str:
    """``n`` words drawn from the vocabulary by frequency."""
    return " ".join(rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=n)).capitalize() + "."


def generate(posts: int, categories: int, members: int, long_topic: int, seed: int) -> dict:
    """Insert the data in bulk; return ids the measurements need."""
    rng = random.Random(seed)
    user_ids = _members(members)
    cats = [Category(name=f"Category {i}", slug=f"category-{i}", position=i,
                     description="", description_html="") for i in range(categories)]
    db.session.add_all(cats)
    db.session.commit()
    topic_rows, post_rows, topic_id, done = [], [], 0, 0
    while done < posts:
        topic_id += 1
        size = long_topic if topic_id == 1 else rng.randint(5, 15)
        size = min(size, posts - done)
        topic_rows.append(_topic(rng, topic_id, cats[topic_id % categories].id, size,
                                 post_rows, done, user_ids))
        done += size
        if len(post_rows) >= 20_000:
            _flush(topic_rows, post_rows)
            progress("posts", done, posts)
    _flush(topic_rows, post_rows)
    progress("posts", done, posts)
    _fix_counters_and_sequences()
    return {"long_topic": 1, "long_size": min(long_topic, posts), "topics": topic_id,
            "category": cats[1 % categories].slug, "posts": done}


def _members(count: int) -> list[int]:
    """Active accounts; the first can sign in with ``PASSWORD``."""
    from pen.auth import service as accounts

    users = [accounts.create_user(f"bench{i}@example.org", f"Bench Member {i}",
                                  PASSWORD if i == 0 else None, status=UserStatus.ACTIVE)
             for i in range(count)]
    db.session.commit()
    return [u.id for u in users]


def _topic(rng, topic_id, category_id, size, post_rows, first_id, user_ids,
           group_id: int | None = None) -> dict:
    """One topic's row, its posts appended to ``post_rows`` (ids follow ``first_id``);
    ``group_id`` puts both in a thematic group."""
    created = START + timedelta(minutes=topic_id * 7)
    rows = []
    for n in range(1, size + 1):
        body = sentence(rng, rng.randint(12, 60))
        rows.append({"id": first_id + n, "topic_id": topic_id, "number": n,
                     "author_id": rng.choice(user_ids), "body": body,
                     "body_html": f"<p>{escape(body)}</p>",
                     "created_at": created + timedelta(minutes=n), "revision_count": 1,
                     "hidden_reason": "", "group_id": group_id})
    post_rows.extend(rows)
    return {"id": topic_id, "category_id": category_id, "author_id": rows[0]["author_id"],
            "title": sentence(rng, 6)[:200], "created_at": created,
            "last_post_at": rows[-1]["created_at"], "last_post_id": rows[-1]["id"],
            "last_poster_id": rows[-1]["author_id"], "last_number": size,
            "last_post_number": size, "post_count": size, "pinned": False, "locked": False,
            "deleted": False, "solved": topic_id % 3 == 0, "group_id": group_id}


def _flush(topic_rows: list, post_rows: list) -> None:
    """Insert the rows gathered so far, then empty the lists for the next batch."""
    if topic_rows:
        db.session.execute(insert(Topic.__table__), topic_rows)
    if post_rows:
        db.session.execute(insert(Post.__table__), post_rows)
    db.session.commit()
    topic_rows.clear()
    post_rows.clear()


def _fix_counters_and_sequences() -> None:
    from pen.forums import posting

    for category_id in db.session.scalars(text("SELECT id FROM forum_categories")):
        posting.recount_category(category_id)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for table in ("forum_topics", "forum_posts"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def build_index() -> float:
    """Rebuild the post index from the database; the seconds it took."""
    started = time.perf_counter()
    adapter = indexing.PostAdapter()
    total = db.session.scalar(text("SELECT count(*) FROM forum_posts"))
    count = [0]

    def step(n):
        count[0] += n
        if count[0] % 5000 == 0 or count[0] == total:
            progress("index", count[0], total)

    search_index.rebuild(adapter, progress=step)
    return time.perf_counter() - started


CPU_TIMES: dict[int, list[float]] = {}  # id of a wall-time list -> the CPU times beside it


def timed(client, method: str, url: str, runs: int, data_fn=None) -> list[float]:
    """Wall times (ms) of ``runs`` requests; their CPU times go to ``CPU_TIMES``."""
    times, cpu = [], []
    for i in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        if method == "GET":
            response = client.get(url(i) if callable(url) else url)
        else:
            response = client.post(url(i) if callable(url) else url, data=data_fn(i))
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
    CPU_TIMES[id(times)] = cpu
    return times


def measure(app, info: dict, runs: int, seed: int) -> dict[str, list[float]]:
    """Wall times of each page the issue names, signed in as the first member."""
    rng = random.Random(seed + 1)
    client = signed_in(app, "bench0@example.org")
    long_id, pages = info["long_topic"], max(1, -(-info["long_size"] // 20))
    timed(client, "GET", "/forums/", 3)  # warm up caches and the searcher
    client.get("/forums/search?q=transformer")
    results = {
        "category list": timed(client, "GET", "/forums/", runs),
        "topic list": timed(client, "GET", f"/forums/c/{info['category']}", runs),
        "topic page (first)": timed(client, "GET", f"/forums/t/{long_id}?page=1", runs),
        "topic page (middle)": timed(client, "GET",
                                     f"/forums/t/{long_id}?page={max(1, pages // 2)}", runs),
        "topic page (last)": timed(client, "GET", f"/forums/t/{long_id}?page={pages}", runs),
        "reply": timed(client, "POST",
                       lambda i: f"/forums/t/{rng.randint(2, info['topics'])}/reply", runs,
                       lambda i: {"body": sentence(rng, 30), "submit": "1"}),
        "post search": timed(client, "GET",
                             lambda i: f"/forums/search?q={rng.choice(WORDS)}+{rng.choice(WORDS)}",
                             runs),
    }
    return results


TARGETS = {"reply": 50.0, "post search": 150.0}


def main() -> None:
    """Read the options; run on SQLite or in a throwaway PostgreSQL schema."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--categories", type=int, default=50)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--long-topic", type=int, default=2_000,
                        help="posts in the long topic whose pages are timed")
    area_options(parser)
    parser.add_argument("--workdir", default=None,
                        help="SQLite data folder kept between runs: posts generated there by "
                             "an earlier run with the same options are reused")
    parser.add_argument("--no-reindex", dest="reindex", action="store_false",
                        help="with --workdir: keep the index built by an earlier run")
    args = parser.parse_args()
    if args.workdir and args.database:
        parser.error("--workdir keeps a SQLite database; it cannot be used with --db-url")
    data_dir = args.workdir or tempfile.mkdtemp(prefix="pen-bench-")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    run_on(args.database, lambda schema: run(args, data_dir, schema))


def run(args, data_dir: str, schema: str | None) -> None:
    """Generate (or reuse), index, measure, print."""
    app = make_app(args.database, data_dir, schema)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        info = _reused(args) if args.workdir else None
        if info is None:
            info = generate(args.posts, args.categories, args.members, args.long_topic,
                            args.seed)
            _save_info(args, info)
        generated = time.perf_counter() - started
        indexed = build_index() if args.reindex or not args.workdir else 0.0
        started = time.perf_counter()
        words = search.warm([indexing.KIND])
        warmed = time.perf_counter() - started
        db.session.remove()
    with app.app_context():
        results = measure(app, info, args.runs, args.seed)
        db.engine.dispose()
    print(f"\n{info['posts']:,} posts in {info['topics']:,} topics, {args.categories} "
          f"categories ({db_name(args.database)}); generated in {generated:.0f} s, "
          f"indexed in {indexed:.0f} s; warm-up (done by a server in the background when it "
          f"opens the index) {words} words in {warmed:.1f} s")
    for name, values in results.items():
        figures = figures_of(values)
        if id(values) in CPU_TIMES:
            figures["cpu_p95"] = percentile(CPU_TIMES[id(values)], 0.95)
        print(report(name, figures, TARGETS.get(name, 50.0)))
    print(command_line())


def _info_file(args) -> Path:
    """Where a kept data folder records what was generated in it."""
    return Path(args.workdir) / "bench-forums.json"


def _reused(args) -> dict | None:
    """The ids of an earlier generation in ``--workdir`` with the same options, if any."""
    path = _info_file(args)
    if not path.exists():
        return None
    saved = json.loads(path.read_text())
    if saved.get("options") != _options(args):
        sys.exit(f"{args.workdir} holds data generated with other options: {saved['options']}")
    print(f"reusing {saved['info']['posts']:,} generated posts in {args.workdir}")
    return saved["info"]


def _save_info(args, info: dict) -> None:
    """Remember what was generated, when the data folder is kept."""
    if args.workdir:
        _info_file(args).write_text(json.dumps({"options": _options(args), "info": info}))


def _options(args) -> dict:
    """The options that decide the generated data."""
    return {"posts": args.posts, "categories": args.categories, "members": args.members,
            "long_topic": args.long_topic, "seed": args.seed}


if __name__ == "__main__":
    main()
