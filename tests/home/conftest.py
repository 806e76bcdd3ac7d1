"""Fixtures of the home: a network with a group, forum, library and award cycle to show."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from pen.auth.system import SYSTEM
from pen.awards.models import AwardCycle
from pen.extensions import db
from pen.forums import service as forums
from pen.groups import service as groups
from pen.groups.models import GroupMembership
from pen.groups.permissions import forget_memberships
from pen.groups.service import GroupFields
from pen.library.models import ACCESS_NETWORK, Document, Version, Work
from pen.types import utcnow


@pytest.fixture
def category(app):
    """The forum category topics are filed in."""
    return forums.create_category(SYSTEM, "Inventories", "Counting transformers.")


@pytest.fixture
def make_group(admin, make_user):
    """``make_group(slug)``: a listed group coordinated by a new member."""

    def make(slug: str, coordinator=None):
        fields = GroupFields(f"Group {slug}", slug, "", "listed", "open")
        return groups.create_group(admin, fields, [coordinator or make_user()])

    return make


def join(user, group) -> None:
    """Put ``user`` in ``group`` directly (the membership rules are the groups' tests)."""
    db.session.add(GroupMembership(group_id=group.id, user_id=user.id))
    db.session.commit()
    forget_memberships()


def add_document(title: str, *, access=ACCESS_NETWORK, group=None, uploader=None,
                 work=None, language="en") -> Document:
    """A library edition (with a first version), as the library's upload would leave it."""
    work = work or Work(doc_type="guidance", access=access,
                        group_id=group.id if group else None)
    document = Document(work=work, language=language, title=title,
                        uploaded_by_id=uploader.id if uploader else None)
    document.versions.append(Version(number=1, filename="f.pdf", stored_name=title[:20],
                                     kind="pdf", content_type="application/pdf", size=10,
                                     sha256="0" * 64))
    db.session.add(document)
    db.session.commit()
    return document


def announced_cycle(name: str, announced: bool) -> AwardCycle:
    """An award cycle whose winners are (or are not yet) published."""
    now = utcnow()
    cycle = AwardCycle(name=name, opens_at=now - timedelta(days=60),
                       closes_at=now - timedelta(days=30),
                       announced_at=now if announced else None)
    db.session.add(cycle)
    db.session.commit()
    return cycle


@pytest.fixture
def count_queries(app):
    """``with count_queries() as seen: …``; ``seen`` lists the SQL statements run."""

    class Counter:
        def __init__(self):
            self.statements: list[str] = []

        def __enter__(self):
            event.listen(db.engine, "before_cursor_execute", self._seen)
            return self.statements

        def __exit__(self, *exc):
            event.remove(db.engine, "before_cursor_execute", self._seen)

        def _seen(self, conn, cursor, statement, *args):
            self.statements.append(statement)

    return Counter
