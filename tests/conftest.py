"""Fixtures: an app per test with a fresh database, a client, login, factories.

Tests run on SQLite (a new file per test). With ``PEN_TEST_DATABASE_URL`` set they
run on PostgreSQL: the run gets its own schema, created once and emptied after
every test, and dropped at the end; under pytest-xdist each worker does so in a
database of its own on that server.
"""

import contextvars
import os
import re
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text

from pen import create_app, search
from pen.auth import service
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.testing import schema_settings, temporary_database, temporary_schema

PASSWORD = "correct horse battery"
CHEAP_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
_RUN = ExitStack()  # what this test process made for itself, undone when it ends


def _database_of_this_process(server_url: str | None) -> str | None:
    """The PostgreSQL database this process tests in: under pytest-xdist a new one per
    worker, because the search log waits for every transaction of its own database that
    is still open (``changelog.horizon``): workers sharing one would hold each other's
    search back, and a test that just wrote would not find what it wrote."""
    if not server_url or not os.environ.get("PYTEST_XDIST_WORKER"):
        return server_url
    return _RUN.enter_context(temporary_database(server_url, "pen_test_worker"))


PG_URL = _database_of_this_process(os.environ.get("PEN_TEST_DATABASE_URL"))


def pytest_unconfigure(config):
    """Drop this worker's database (its connections too: ``WITH (FORCE)``)."""
    _RUN.close()
# Fingerprinted, compressed static files are made once per content, not once per test:
# every app of the run (and every process it starts) shares one cache folder.
STATIC_CACHE = Path(tempfile.gettempdir()) / "pen-tests-static"
os.environ.setdefault("PEN_STATIC_CACHE_DIR", str(STATIC_CACHE))


@pytest.fixture(scope="session")
def pg_schema():
    """On PostgreSQL: a schema of this run's own, dropped at the end; else None."""
    if not PG_URL:
        yield None
        return
    with temporary_schema(PG_URL) as schema:
        yield schema


def database_settings(tmp_path, schema: str | None) -> dict:
    """Settings pointing at this test's database."""
    if schema is None:
        return {"DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}"}
    return schema_settings(PG_URL, schema)


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this, a request made while the test holds an app context shares the
    test's ``g`` (and Flask-Login's cached user) with every other request.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_test_app(tmp_path, schema, **overrides):
    """An app on a fresh database, with cheap password hashing and CSRF off."""
    settings = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH": CHEAP_HASH,
        "SERVER_NAME": "pen.test",
        # Some tests build apps on a database that is down on purpose (/healthz 503).
        "CHECK_DATABASE_AT_START": False,
        # Two-step sign-in is tested in tests/auth; elsewhere administrators sign in with
        # their password alone, as if their role did not require it.
        "TWO_FACTOR_REQUIRED_ROLES": [],
        **database_settings(tmp_path, schema),
        **overrides,
    }
    app = create_app(settings)
    app.test_client_class = IsolatedClient
    return app


_created_schemas: set[str] = set()

# `make test` runs the suite on every core (pytest-xdist, ``--dist loadgroup``). Tests that
# start whole stacks share one worker, so the wheel is built once and two gunicorn stacks
# never compete with each other for the machine; the rest spread over the other workers.
SERIAL_MARKERS = ("deploy", "browser", "load", "crash")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Put the stack-starting tests in one xdist group (before xdist reads the groups)."""
    for item in items:
        for marker in SERIAL_MARKERS:
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.xdist_group("stacks"))
                break


@pytest.fixture
def app_factory(tmp_path, pg_schema):
    """Build apps with extra settings; each gets tables, emptied again after the test."""
    apps = []

    def build(**overrides):
        app = make_test_app(tmp_path, pg_schema, **overrides)
        with app.app_context():
            if pg_schema is None or pg_schema not in _created_schemas:
                db.create_all()
                _created_schemas.add(pg_schema or "")
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            if pg_schema is not None:
                _empty_tables()
            db.engine.dispose()


def _empty_tables() -> None:
    names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app(app_factory):
    """The app under test, inside an app context."""
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create an account: ``make_user(roles=("admin",))``; the password is ``PASSWORD``."""
    counter = iter(range(1, 10_000))

    def make(email=None, name=None, password=PASSWORD, roles=(), status=UserStatus.ACTIVE):
        number = next(counter)
        user = service.create_user(email or f"member{number}@example.org",
                                   name or f"Member {number}", password, tuple(roles),
                                   status=status)
        db.session.commit()
        return user

    return make


def login(client, email: str, password: str = PASSWORD, **extra):
    """Sign in through the login form; returns the response (not followed)."""
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


@pytest.fixture
def member(make_user):
    """An active member without other roles."""
    return make_user(email="lan.nguyen@example.org", name="Nguyen Thi Lan")


@pytest.fixture
def admin(make_user):
    """An active administrator."""
    return make_user(email="amina.diallo@example.org", name="Amina Diallo", roles=("admin",))


@pytest.fixture
def member_client(client, member):
    """A client signed in as ``member``."""
    assert login(client, member.email).status_code == 302
    return client


@pytest.fixture
def admin_client(client, admin):
    """A client signed in as ``admin``."""
    assert login(client, admin.email).status_code == 302
    return client


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def indexed():
    """Apply the search outbox to the index, as the worker would."""

    def drain():
        db.session.expire_all()  # the worker reads with a fresh session, so does this
        report = search.drain()
        db.session.commit()
        return report

    return drain


@pytest.fixture
def client_as(app):
    """``client_as(user)``: a new client signed in as ``user``."""

    def make(user):
        client = app.test_client()
        assert login(client, user.email).status_code == 302
        return client

    return make


def statements_of_get(client, url: str) -> list[str]:
    """The SQL statements one GET of ``url`` runs (the page must answer 200)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen
