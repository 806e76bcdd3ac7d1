"""The committed migrations build exactly the schema the models describe."""


import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

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
