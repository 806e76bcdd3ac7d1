"""Fixtures of the forums: categories, topics, members who post, a drained index."""

import pytest

from pen import search
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.forums import service
from tests.conftest import login


@pytest.fixture
def indexed():
    """Apply the search outbox to the index, as the worker would."""

    def drain():
        db.session.expire_all()
        report = search.drain()
        db.session.commit()
        return report

    return drain


@pytest.fixture
def category(app):
    """The "Maintenance of PCB-containing equipment" category."""
    return service.create_category(SYSTEM, "Maintenance of PCB-containing equipment",
                                   "Transformers, capacitors and how to keep them safe.")


@pytest.fixture
def other_category(app):
    """A second category, "PCB inventories"."""
    return service.create_category(SYSTEM, "PCB inventories")


@pytest.fixture
def author(make_user):
    """A member who asks questions."""
    return make_user(email="ana.gonzalez@example.org", name="Ana González")


@pytest.fixture
def moderator(make_user):
    """A forum moderator."""
    return make_user(email="carlos.mendoza@example.org", name="Carlos Mendoza",
                     roles=("moderator",))


@pytest.fixture
def topic(category, author):
    """A question about transformer maintenance."""
    return service.create_topic(
        author, category, "How do we test transformer oil for PCBs?",
        "Our utility has 300 transformers from the 1970s. **Which test kits** work?")


@pytest.fixture
def client_as(app):
    """``client_as(user)``: a new client signed in as ``user``."""

    def make(user):
        client = app.test_client()
        assert login(client, user.email).status_code == 302
        return client

    return make
