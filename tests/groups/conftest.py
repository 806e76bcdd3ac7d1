"""Fixtures of the groups: an admin-made group with a coordinator, members, clients."""

import pytest

from pen.auth.system import SYSTEM
from pen.forums import service as forums
from pen.groups import service
from pen.groups.service import GroupFields


@pytest.fixture
def coordinator(make_user):
    """The coordinator of the maintenance group."""
    return make_user(email="kofi.mensah@example.org", name="Kofi Mensah")


@pytest.fixture
def make_group(admin, coordinator):
    """``make_group(slug, policy="request", visibility="listed", coordinators=…)``."""

    def make(slug="pcb-maintenance", join_policy="request", visibility="listed",
             coordinators=None, name=None):
        fields = GroupFields(name or "Maintenance of PCB-containing equipment", slug,
                             "We met in **Panama City**.", visibility, join_policy)
        return service.create_group(admin, fields, coordinators or [coordinator])

    return make


@pytest.fixture
def group(make_group):
    """The Thematic Group on Maintenance of PCB-containing equipment (by request)."""
    return make_group()


@pytest.fixture
def category(app):
    """A forum category group topics are filed in."""
    return forums.create_category(SYSTEM, "Maintenance", "Transformers and capacitors.")
