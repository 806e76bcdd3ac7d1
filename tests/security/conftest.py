"""Fixtures of the security suite: one world per module, clients for every role.

The world is costly (a hundred rows, files, a search index), so it is built once
per module on its own app; tests that write (CSRF) snapshot and compare instead
of relying on a fresh database.
"""

import hashlib

import pytest
from sqlalchemy import select

from pen.auth import service
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.groups.permissions import forget_memberships
from tests import conftest as shared
from tests.security import world

#: the roles of the matrix, in its column order, then those that never get in
SIGNED_IN = ("member", "nominator", "committee", "conflicted", "moderator", "admin")
LOGGED_OUT = ("anonymous", "invited")
EVERYONE = (*LOGGED_OUT, "outsider", *SIGNED_IN)


def _make_user(email, name, roles=(), status=UserStatus.ACTIVE):
    user = service.create_user(email, name, shared.PASSWORD, tuple(roles), status=status)
    db.session.commit()
    return user


def _drain():
    db.session.expire_all()
    shared.search.drain()
    db.session.commit()


def _build_app(tmp_path_factory, pg_schema, **overrides):
    """An app on a database of its own (PostgreSQL: the run's schema, emptied after)."""
    tmp = tmp_path_factory.mktemp("security")
    # The world is indexed once per module: /readyz must not turn 503 because the module
    # took longer than the worker's heartbeat allows.
    overrides.setdefault("SEARCH_READY_LAG_SECONDS", 86_400)
    app = shared.make_test_app(tmp, pg_schema, **overrides)
    with app.app_context():
        if pg_schema is None or pg_schema not in shared._created_schemas:
            db.create_all()
            shared._created_schemas.add(pg_schema or "")
    return app


@pytest.fixture(scope="module")
def world_app(request, tmp_path_factory, pg_schema):
    """The app with the world built and indexed; ``app.world`` holds its ids.

    A test module sets ``APP_SETTINGS`` for other settings (CSRF on, say)."""
    app = _build_app(tmp_path_factory, pg_schema, **getattr(request.module, "APP_SETTINGS", {}))
    with app.app_context():
        app.world = world.build(_make_user)
        _drain()
        forget_memberships()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        if pg_schema is not None:
            shared._empty_tables()
        db.engine.dispose()


@pytest.fixture(scope="module")
def clients(world_app):
    """``clients[role]``: a test client signed in as that role (anonymous: none)."""
    made = {}
    for role in EVERYONE:
        client = world_app.test_client()
        if role not in ("anonymous",):
            response = shared.login(client, world.EMAILS[role], **_token(world_app, client))
            assert (response.status_code == 302) == (role != "invited"), role
        made[role] = client
    return made


def _token(app, client) -> dict:
    """The login form's CSRF token when the app checks them."""
    if not app.config["WTF_CSRF_ENABLED"]:
        return {}
    return {"csrf_token": shared.csrf_token_from(client.get("/auth/login").get_data(True))}


def table_digests(ignore: dict[str, set[str]] | None = None) -> dict[str, str]:
    """A digest of every table's rows, but the columns ``ignore`` names per table."""
    digests = {}
    for table in db.metadata.sorted_tables:
        skipped = (ignore or {}).get(table.name, set())
        columns = [column for column in table.columns if column.name not in skipped]
        if not columns:
            continue
        rows = sorted(repr(tuple(row)) for row in db.session.execute(select(*columns)))
        digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests
