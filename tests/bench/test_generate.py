"""The network generator at a tiny scale: the counts it promises, the same data for a seed."""

import random

from sqlalchemy import func, select, text

from bench import generate as generator
from bench import generate_text as texts
from pen.auth.models import User
from pen.awards.models import Nomination, Review
from pen.events.models import Event
from pen.extensions import db
from pen.forums.models import Post, Topic
from pen.groups.models import Group
from pen.library.models import Document, Version

SMALL = {"groups": 3, "nominations": 2, "events": 3}
SCALE = 0.02  # 11 members, 10 topics, 100 posts, 10 documents


def _generate(seed: int = 7) -> dict:
    options = generator.Options(scale=SCALE, seed=seed, page_chars=300, overrides=SMALL)
    info = generator.generate(options)
    generator.reindex()
    return info


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _snapshot() -> dict:
    """What a seed decides, independent of row ids given by sequences."""
    rows = lambda sql: [tuple(r) for r in db.session.execute(text(sql))]  # noqa: E731
    return {
        "users": rows("SELECT email, display_name, status FROM users ORDER BY email"),
        "posts": rows("SELECT t.title, p.number, p.body, u.email FROM forum_posts p "
                      "JOIN forum_topics t ON t.id = p.topic_id JOIN users u ON u.id = p.author_id "
                      "ORDER BY p.topic_id, p.number"),
        "texts": rows("SELECT d.language, d.title, v.text, v.pages_json FROM library_documents d "
                      "JOIN library_versions v ON v.id = d.current_version_id ORDER BY d.id"),
        "groups": rows("SELECT g.slug, u.email, m.role FROM group_memberships m JOIN groups g "
                       "ON g.id = m.group_id JOIN users u ON u.id = m.user_id "
                       "ORDER BY g.slug, u.email"),
        "events": rows("SELECT title, starts_at FROM events ORDER BY starts_at, title"),
    }


def _empty() -> None:
    """Every table emptied and, on PostgreSQL, its ids restarted: an empty database again."""
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
    db.session.commit()


def test_counts_at_a_small_scale_and_members_sign_in(app):
    assert generator.is_empty()
    info = _generate()
    wanted = generator.counts(SCALE)
    assert _count(Post) == wanted["posts"] == 100
    assert _count(Topic) == wanted["topics"] == 10
    assert _count(Document) == info["counts"]["documents"] == 10
    assert _count(User) == wanted["members"] + generator.REVIEWERS + 1
    assert _count(Group) == 3 and _count(Event) == 3
    assert _count(Nomination) == 2
    assert _count(Review) >= 2  # every reviewer not in conflict scores each nomination
    pages = db.session.scalar(select(Version.pages_json).order_by(Version.id).limit(1))
    assert 3 <= pages.count("[") - 1 <= 40
    assert info["long_topic_posts"] == db.session.scalar(
        select(Topic.post_count).where(Topic.id == info["long_topic"]))
    assert not generator.is_empty()
    _sign_in_and_search(app, info)


def _sign_in_and_search(app, info: dict) -> None:
    """A generated member signs in with the shared password and finds generated text."""
    client = app.test_client()
    email = db.session.scalar(select(User.email).where(User.email.like("member%"),
                                                       User.status == "active").limit(1))
    response = client.post("/auth/login", data={"email": email, "password": info["password"]})
    assert response.status_code == 302
    page = client.get("/library/", query_string={"q": texts.common_word("en")})
    assert page.status_code == 200
    assert "Nothing found" not in page.get_data(as_text=True)


def test_same_seed_same_network(app):
    _generate(seed=7)
    first = _snapshot()
    _empty()
    _generate(seed=7)
    assert _snapshot() == first


def test_another_seed_gives_other_texts():
    def texts_of(seed: int) -> tuple:
        rng = random.Random(seed)
        return texts.pages(rng, "fr", 3, 500), texts.page(rng, "zh", 200)

    assert texts_of(7) == texts_of(7)
    assert texts_of(7) != texts_of(8)


def test_the_command_refuses_a_database_that_is_not_empty(app, make_user, monkeypatch):
    from click.testing import CliRunner

    from bench.cli import generate_command

    make_user()
    monkeypatch.setattr("pen.create_app", lambda: app)  # the app the PEN_* settings would make
    result = CliRunner().invoke(generate_command, ["--scale", "0.02"])
    assert result.exit_code != 0
    assert "not empty" in result.output


def test_the_platform_never_imports_the_benchmark(tmp_path):
    import subprocess
    import sys

    code = "import sys, pen; pen.create_app({'TESTING': True}); print('bench' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={"PEN_INSTANCE_PATH": str(tmp_path)})
    assert done.stdout.strip() == "False"
