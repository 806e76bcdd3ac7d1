"""Fixtures of the forums: categories, topics, members who post, a drained index."""

import pytest

from pen.auth.system import SYSTEM
from pen.forums import service


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
