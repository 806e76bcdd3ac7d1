"""The committed migrations build exactly the schema the models describe."""


import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from pen.extensions import db
from pen.testing import temporary_schema
from tests.conftest import PG_URL, make_test_app


@pytest.fixture
def empty_database(tmp_path):
    """Settings for a database with no tables at all (its own schema on PostgreSQL)."""
    if not PG_URL:
        yield None
        return
    with temporary_schema(PG_URL, prefix="pen_mig") as schema:
        yield schema


def schema_differences() -> list:
    """What autogenerate would still write: nothing, if models and migrations agree."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_downgrade_upgrade_and_models_agree(tmp_path, empty_database):
    app = make_test_app(tmp_path, empty_database)
    with app.app_context():
        upgrade()
        assert schema_differences() == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert schema_differences() == []
        db.engine.dispose()


def test_constraints_are_named(app):
    for table in db.metadata.sorted_tables:
        for constraint in table.constraints:
            assert constraint.name, f"unnamed constraint on {table.name}"


def test_the_upgrade_counts_each_topic_s_reactions_to_its_visible_posts(tmp_path,
                                                                        empty_database):
    from pen.auth import service as accounts
    from pen.auth.system import SYSTEM
    from pen.forums import service as forums
    from pen.forums.models import Reaction, Topic
    from pen.types import utcnow
    from tests.conftest import PASSWORD

    app = make_test_app(tmp_path, empty_database)
    with app.app_context():
        upgrade()
        author = accounts.create_user("amina@example.org", "Amina Diallo", PASSWORD)
        reader = accounts.create_user("lan@example.org", "Nguyen Thi Lan", PASSWORD)
        category = forums.create_category(SYSTEM, "Maintenance", "Transformers")
        topic = forums.create_topic(author, category, "Oil tests", "Which kits?")
        quiet = forums.create_topic(author, category, "Nobody reacted", "Yet")
        seen, hidden = (forums.reply(author, topic, words) for words in ("Seen", "Hidden"))
        db.session.add_all([Reaction(post_id=post.id, user_id=reader.id, kind=kind)
                            for post, kind in ((seen, "thanks"), (seen, "agree"),
                                               (hidden, "thanks"))])
        hidden.hidden_at = utcnow()
        ids = (topic.id, quiet.id)
        db.session.commit()
        db.session.remove()  # no transaction of ours may hold the table the downgrade alters

        downgrade(revision="a8250c6e4f12")
        upgrade()
        counts = dict(db.session.execute(select(Topic.id, Topic.reaction_count)).all())
        assert (counts[ids[0]], counts[ids[1]]) == (2, 0)
        db.session.remove()
        db.engine.dispose()
