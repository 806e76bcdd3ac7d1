"""Fixtures of the private messages: three members and a conversation between two."""

import pytest

from pen.messages import service
from tests.fixtures_mail import _smtp_controller, smtp_app, smtp_server  # noqa: F401


@pytest.fixture
def ana(make_user):
    """A member who writes first."""
    return make_user(email="ana.gonzalez@example.org", name="Ana González")


@pytest.fixture
def ben(make_user):
    """The member Ana writes to."""
    return make_user(email="ben.okafor@example.org", name="Ben Okafor")


@pytest.fixture
def cleo(make_user):
    """A member outside the conversation."""
    return make_user(email="cleo.martin@example.org", name="Cléo Martin")


@pytest.fixture
def talk(ana, ben):
    """Ana's conversation with Ben about transformer oil."""
    return service.start(ana, [ben], "Oil samples from Dakar",
                         "Ben, the **lab results** for the 12 transformers are in.")
