"""``backup`` while the site is written to, ``restore`` into a new instance: the same site.

On SQLite the restored instance is a new file; on PostgreSQL (``PEN_TEST_DATABASE_URL``)
a new database, dropped afterwards, holding a schema of the same name.
"""

import contextlib
import json
import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from pen import files, worker
from pen.admin import demo
from pen.auth import service as accounts
from pen.auth.models import User
from pen.extensions import db
from pen.forums import service as forums
from pen.forums.models import Category, Post, Topic
from pen.library.models import Document
from pen.testing import schema_settings
from tests.conftest import PG_URL, make_test_app

from .conftest import new_database, sha256_of

INDEX_PAGES = ["/", "/activity", "/forums/", "/library/", "/groups/", "/events/", "/awards/",
               "/members/"]
OBJECT_LINK = re.compile(r'href="(/(?:forums/t|forums/c|library|groups|events|awards)/[\w-]+)"')
QUERIES = ["/search?q=transformer", "/search?q=inventory", "/library/?q=PCB",
           "/forums/search?q=oil", "/members/?q=Diallo"]


@pytest.fixture
def demo_site(app, indexed):
    """The demo content in every area, its files' text extracted and everything indexed."""
    demo.seed()
    with app.app_context():
        while any(result and result != "error" for result in worker.run_pass().values()):
            pass
    indexed()
    return app


@pytest.fixture
def empty_instance(tmp_path, pg_schema):
    """A second app on a new, empty database and data folder."""
    folder = tmp_path / "restored"
    folder.mkdir()
    if pg_schema is None:
        yield make_test_app(folder, None)
        return
    with new_database("pen_restore") as url:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{pg_schema}"'))
        engine.dispose()
        restored = make_test_app(folder, None, **schema_settings(url, pg_schema))
        yield restored
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()


# The portable dump is PostgreSQL's fallback (no usable pg_dump); SQLite has its own backup.
@pytest.mark.parametrize("options", [[], ["--logical"]] if PG_URL else [[]],
                         ids=["native", "logical"] if PG_URL else ["native"])
def test_restored_site_serves_what_the_live_site_served(demo_site, empty_instance, tmp_path,
                                                        options):
    """Pages, a download, search hits and the index check agree after a live backup."""
    dest = tmp_path / "backup-1"
    with live_writes(demo_site) as written:
        result = demo_site.test_cli_runner().invoke(args=["backup", str(dest), *options])
    assert result.exit_code == 0, result.output
    assert dest.is_dir() and not Path(f"{dest}.part").exists()
    manifest = json.loads((dest / "manifest.json").read_text())
    uploads = Path(demo_site.config["DATA_DIR"]) / "uploads"
    assert manifest["files"] and all(sha256_of(uploads / name) == item["sha256"]
                                     for name, item in manifest["files"].items())

    with empty_instance.app_context():  # the commands run in the innermost app's context
        result = empty_instance.test_cli_runner().invoke(args=["restore", str(dest)])
        assert result.exit_code == 0, result.output
        check = empty_instance.test_cli_runner().invoke(args=["search", "check"])
        assert check.exit_code == 0, check.output
        kept = db.session.scalar(select(func.count()).where(Post.body.like("Live note %")))
        db.session.remove()
    assert 1 <= kept <= written[0]  # a snapshot: what was committed when it was taken

    source, restored = signed_in(demo_site), signed_in(empty_instance)
    compared = compare_pages(source, restored)
    assert compared >= 20
    for query in QUERIES:
        found = hits(source.get(query).text)
        assert found, query
        assert hits(restored.get(query).text) == found, query
    document_id = first_document(demo_site)
    download = source.get(f"/library/{document_id}/download")
    assert download.status_code == 200
    assert restored.get(f"/library/{document_id}/download").data == download.data


def test_restore_refuses_what_would_mix_or_damage_a_site(app, make_user, empty_instance,
                                                         tmp_path):
    """Live data, a half backup or a damaged file: refused, saying why."""
    make_user()
    stored = files.store_bytes("library", b"PCB inventory of 2010", ".txt")
    dest = tmp_path / "backup-2"
    assert app.test_cli_runner().invoke(args=["backup", str(dest)]).exit_code == 0
    result = app.test_cli_runner().invoke(args=["restore", str(dest)])
    assert result.exit_code == 1
    assert "restore needs an empty instance" in result.output
    half = tmp_path / "backup-3.part"
    half.mkdir()
    assert "not a complete backup" in app.test_cli_runner().invoke(
        args=["restore", str(half)]).output
    (dest / "uploads" / "library" / stored).write_bytes(b"PCB inventory of 2011")
    with empty_instance.app_context():
        result = empty_instance.test_cli_runner().invoke(args=["restore", str(dest)])
    assert result.exit_code == 1
    assert f"library/{stored} in the backup is damaged" in result.output
    with empty_instance.app_context():  # refused before anything was written
        assert not inspect(db.engine).get_table_names()


@contextlib.contextmanager
def live_writes(app):
    """Replies posted in another thread for as long as the block runs; yields [count]."""
    written, started, stop = [0], threading.Event(), threading.Event()
    with app.app_context():
        author = accounts.find_by_email("member@pen.example")
        category = db.session.scalars(select(Category)).first()
        topic = forums.create_topic(author, category, "Live writes", "Opening the live topic")
        topic_id, author_id = topic.id, author.id
        db.session.commit()

    def write():
        with app.app_context():
            while not stop.is_set():
                topic_now = db.session.get(Topic, topic_id)
                forums.reply(db.session.get(User, author_id), topic_now,
                             f"Live note {written[0]}")
                db.session.commit()
                written[0] += 1
                started.set()
            db.session.remove()

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    started.wait(timeout=60)
    try:
        yield written
    finally:
        stop.set()
        thread.join(timeout=60)


def signed_in(app):
    """A client of ``app`` signed in as the demo administrator."""
    client = app.test_client()
    answer = client.post("/auth/login", data={"email": "admin@pen.example",
                                              "password": demo.DEMO_PASSWORD})
    assert answer.status_code == 302
    return client


def headline(html: str) -> tuple[str, str]:
    """The page's <title> and first <h1>, without markup or spacing differences."""
    found = [re.search(pattern, html, re.S) for pattern in (r"<title>(.*?)</title>",
                                                            r"<h1[^>]*>(.*?)</h1>")]
    return tuple(" ".join(re.sub(r"<[^>]+>", "", m.group(1)).split()) if m else ""
                 for m in found)


def compare_pages(source, restored) -> int:
    """Index pages and the objects they link to: same status, title and heading."""
    pages, compared = list(INDEX_PAGES), 0
    for page in INDEX_PAGES:
        pages += OBJECT_LINK.findall(source.get(page).text)
    for page in dict.fromkeys(pages):
        before, after = source.get(page), restored.get(page)
        assert (page, before.status_code, headline(before.text)) == (
            page, after.status_code, headline(after.text))
        compared += before.status_code == 200
    return compared


def hits(html: str) -> list[str]:
    """The links to objects (paths with an id) of a results page, in order."""
    return re.findall(r'href="(/[a-z]+/(?:[a-z]+/)?\d+[^"]*)"', html)


def first_document(app) -> int:
    """The id of a library document with a file."""
    with app.app_context():
        return db.session.scalar(select(Document.id).order_by(Document.id))
