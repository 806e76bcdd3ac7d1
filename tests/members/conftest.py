"""Fixtures of the member database: the vocabulary, profiles, a drained index."""

from datetime import date

import pytest

from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.members import designations, service
from pen.members.models import DESIGNATION_KINDS, ExpertiseArea
from pen.members.vocabulary import DEFAULT_EXPERTISE
from tests.conftest import PASSWORD


@pytest.fixture
def vocabulary(app):
    """The default expertise vocabulary, by name."""
    terms = {name: ExpertiseArea(name=name) for name in DEFAULT_EXPERTISE}
    db.session.add_all(terms.values())
    db.session.commit()
    return terms


def designate(user, role: str, country: str | None) -> None:
    """Record ``role`` for ``user`` as the Secretariat would ("expert" is no designation)."""
    if role in DESIGNATION_KINDS:
        designations.record(SYSTEM, user, role, country, date(2010, 1, 1))
    else:
        service.profile_of(user).convention_role = role
        db.session.commit()


@pytest.fixture
def make_member(make_user, vocabulary):
    """An active member with a filled-in profile."""

    def make(name, email=None, country=None, organisation="", organisation_type=None,
             expertise=(), languages=(), role=None, bio="", status=None, password=PASSWORD,
             **profile_fields):
        kwargs = {"status": status} if status else {}
        user = make_user(email=email, name=name, password=password, **kwargs)
        profile = service.profile_of(user)
        changes = service.ProfileChanges(
            display_name=name, organisation=organisation, organisation_type=organisation_type,
            country=country, bio=bio, languages=list(languages),
            expertise_ids=[vocabulary[term].id for term in expertise], **profile_fields)
        service.update_profile(SYSTEM, profile, changes)
        if role:
            designate(user, role, country)
        return user

    return make
