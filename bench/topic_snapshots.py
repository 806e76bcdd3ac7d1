"""The forum pages as members see them, saved to compare two versions of the code.

``python -m bench.topic_snapshots OUT`` builds a small forum in a fresh SQLite file (or,
with ``--db-url``, an empty PostgreSQL database) through the services, with every case
the topic page draws differently — replies with files and pictures, reactions, an
accepted answer, an edited reply, a reply hidden with its reason, one deleted by a
moderator, one its author deleted lately (a stub to restore), a locked topic, a deleted
topic, bookmarks, a draft, tags, a watched topic, faces with and without a photo — and
saves each page, as a member (in French, on Tokyo's clock), the author of the posts, a
moderator and an administrator, to ``OUT/<name>.html``, CSRF tokens, nonces and
the moments the services stamped today (the home page's news) masked.
Run it with each version first on the path (``PYTHONPATH=...``) into two folders and
``diff -r`` them: the world is the same, so the pages must be byte-identical.
"""

import os
import re
import secrets
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

PASSWORD = "snapshot-password-2011"  # noqa: S105 - a throwaway database
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
START = datetime(2011, 2, 16, 9, 30, tzinfo=UTC)
MASKS = ((re.compile(r'(name="csrf_token"[^>]*value=")[^"]+'), r"\1CSRF"),
         (re.compile(r'(value=")[^"]+("[^>]*name="csrf_token")'), r"\1CSRF\2"),
         (re.compile(r'(nonce=")[^"]+'), r"\1NONCE"),
         # moments of things the services stamp (the home page's news), not the forum's
         (re.compile(r'<time datetime="(?!2011-)[^"]*">[^<]*</time>'), "<time>MOMENT</time>"))


def _app(url: str, folder: Path):
    """The app on an empty database at ``url``, tables made."""
    from pen import create_app
    from pen.extensions import db

    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16),
                      "INSTANCE_PATH": str(folder / "instance"), "DATA_DIR": str(folder / "data"),
                      "WTF_CSRF_ENABLED": False, "TWO_FACTOR_REQUIRED_ROLES": [],
                      "CHECK_DATABASE_AT_START": False,
                      "PASSWORD_HASH": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}})
    with app.app_context():
        db.create_all()
    return app


def _people() -> dict:
    """A member (French, Tokyo), an author (a photo), a moderator, an administrator."""
    from pen.auth import service as accounts
    from pen.extensions import db
    from pen.members import service as members

    people = {
        "member": accounts.create_user("lan@example.org", "Nguyen Thi Lan", PASSWORD, ()),
        "author": accounts.create_user("ana@example.org", "Ana González <b>", PASSWORD, ()),
        "moderator": accounts.create_user("carlos@example.org", "Carlos Mendoza", PASSWORD,
                                          ("moderator",)),
        "admin": accounts.create_user("amina@example.org", "Amina Diallo", PASSWORD,
                                      ("admin",))}
    db.session.commit()
    profile = members.profile_of(people["member"])
    profile.locale, profile.timezone = "fr", "Asia/Tokyo"
    people["author"].avatar_key = "ana-photo.jpg"
    db.session.commit()
    return people


def _world() -> dict:
    """The forum the pages show; the names of the pages to save, by path."""
    from pen.auth.system import SYSTEM
    from pen.files import Upload
    from pen.forums import bookmarks, drafts, moderation, reactions, service, tags, watching

    p = _people()
    member, author, moderator = p["member"], p["author"], p["moderator"]
    category = service.create_category(SYSTEM, "Maintenance of PCB-containing equipment",
                                       "Transformers, **capacitors**.")
    other = service.create_category(SYSTEM, "PCB inventories")
    oil, kits = tags.create(moderator, "oil"), tags.create(moderator, "test kits")
    long = service.create_topic(author, category, "How do we test <oil> for PCBs?",
                                "Our utility has **300** transformers.")
    tags.set_for_topic(author, long, [oil.id, kits.id])
    posts = [service.reply(member if i % 3 else author if i % 2 else moderator, long,
                           f"Reply {i + 2}: see [the guide](https://example.org/{i}) & <this>")
             for i in range(44)]
    service.reply(member, long, "Lab report attached", [Upload("lab report.pdf", PDF),
                                                       Upload("plate.png", PNG)])
    service.edit_post(member, posts[1], "Reply 3, edited")
    moderation.set_hidden(moderator, posts[4], True, "Off topic <here>")
    service.delete_post(moderator, posts[6])
    service.delete_post(member, posts[7])
    service.accept_answer(author, long, posts[2])
    for post, who, kind in ((posts[0], member, "thanks"), (posts[0], moderator, "thanks"),
                            (posts[0], author, "agree"), (posts[2], member, "helpful"),
                            (posts[21], author, "thanks")):
        reactions.toggle(who, post, kind)
    bookmarks.toggle_topic(member, long)
    bookmarks.toggle_post(member, posts[2])
    watching.set_topic_level(member, long, "watching")
    drafts.save(member, drafts.topic_place(long), "My half-written reply")
    locked = service.create_topic(member, category, "Locked: capacitor labels", "Question")
    service.reply(member, locked, "My own reply")
    service.reply(author, locked, "An answer")
    moderation.set_locked(moderator, locked, True)
    moderation.set_pinned(moderator, locked, True)
    gone = service.create_topic(author, other, "A deleted topic", "Body")
    service.reply(member, gone, "A reply")
    service.delete_post(moderator, _first(gone))
    for n in range(35):
        service.create_topic(author if n % 2 else member, other, f"Inventory question {n}",
                             f"Body {n}")
    return {"long": long.id, "locked": locked.id, "gone": gone.id,
            "category": category.slug, "other": other.slug}


def _first(topic):
    """The opening post of ``topic``."""
    from sqlalchemy import select

    from pen.extensions import db
    from pen.forums.models import Post

    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))


def _fixed_times() -> None:
    """Every moment a page prints set to a fixed one (the world is built at another
    minute each run); the self-deleted reply stays within the restore window."""
    from sqlalchemy import update

    from pen.extensions import db
    from pen.forums.models import Category, Draft, Post, Topic

    yesterday = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) \
        - timedelta(days=1)
    db.session.execute(update(Post).values(created_at=START))
    db.session.execute(update(Post).where(Post.deleted_at.is_not(None))
                       .values(deleted_at=yesterday))
    db.session.execute(update(Topic).values(created_at=START, last_post_at=START))
    db.session.execute(update(Category).values(last_post_at=START))
    db.session.execute(update(Draft).values(updated_at=START))
    db.session.commit()


def _pages(ids: dict) -> dict[str, list[tuple[str, str]]]:
    """What each person looks at, in order: (name, path)."""
    long, locked, gone = ids["long"], ids["locked"], ids["gone"]
    topic = [(f"topic-p{n}", f"/forums/t/{long}?page={n}") for n in (1, 2, 3)]
    rest = [("locked", f"/forums/t/{locked}"), ("category", f"/forums/c/{ids['category']}"),
            ("other-p1", f"/forums/c/{ids['other']}"),
            ("other-p2", f"/forums/c/{ids['other']}?page=2"),
            ("latest", "/forums/latest"), ("mine", "/forums/mine"), ("index", "/forums/"),
            ("home", "/"), ("groups", "/groups/"), ("library", "/library/")]
    mod = [("deleted-topic", f"/forums/t/{gone}")]
    return {"member": topic + rest, "author": topic + rest, "moderator": topic + rest + mod,
            "admin": topic + rest + mod}


def _masked(html: str) -> str:
    """The page without what differs on every request or run (CSRF tokens, nonces,
    the moments stamped when the world was built)."""
    for pattern, replacement in MASKS:
        html = pattern.sub(replacement, html)
    return html


@click.command()
@click.argument("out", type=click.Path(path_type=Path, file_okay=False))
@click.option("--db-url", help="An empty PostgreSQL database instead of a SQLite file.")
def main(out: Path, db_url: str | None):
    """Build the forum and save each person's pages into OUT."""
    folder = Path(tempfile.mkdtemp(prefix="pen-snapshots-"))
    os.environ.setdefault("PEN_STATIC_CACHE_DIR", str(folder / "static"))
    app = _app(db_url or f"sqlite:///{folder / 'pen.sqlite3'}", folder)
    with app.app_context():
        people = {role: user.email for role, user in _people_and_world(app).items()}
        ids = app.config["_SNAPSHOT_IDS"]
    out.mkdir(parents=True, exist_ok=True)
    for role, visits in _pages(ids).items():
        client = app.test_client()
        client.post("/auth/login", data={"email": people[role], "password": PASSWORD})
        for name, path in visits:
            answer = client.get(path)
            (out / f"{role}-{name}.html").write_text(
                f"{answer.status_code}\n{_masked(answer.get_data(as_text=True))}")
    click.echo(f"{sum(len(v) for v in _pages(ids).values())} pages in {out}")


def _people_and_world(app) -> dict:
    """Build the world; the people by role (the ids kept on the app's config)."""
    from pen.auth.models import User
    from pen.extensions import db

    app.config["_SNAPSHOT_IDS"] = _world()
    _fixed_times()
    return {role: db.session.scalar(db.select(User).where(User.email == email))
            for role, email in (("member", "lan@example.org"), ("author", "ana@example.org"),
                                ("moderator", "carlos@example.org"),
                                ("admin", "amina@example.org"))}


if __name__ == "__main__":
    main()
