"""Extension objects, created unbound; ``create_app`` binds them to an app.

Flask-Migrate (which imports Alembic, about 11 MB in every web worker) is bound to an app
only when something uses it: a ``flask db`` command, ``flask_migrate.upgrade()`` or the
migrations' ``env.py`` (``LazyMigrate``).
"""

import click
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .types import render_migration_item

# Named constraints make migrations portable and reversible (SQLite batch mode needs names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model, carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class _BoundOnUse:
    """Stands in ``app.extensions["migrate"]`` until read: then binds Flask-Migrate, which
    replaces it, and answers from the real one."""

    def __init__(self, app, database, directory: str):
        """Remember what to bind."""
        self._app, self._db, self._directory = app, database, directory

    def __getattr__(self, name):
        """Bind Flask-Migrate to the app, then read ``name`` from its configuration."""
        from flask_migrate import Migrate

        Migrate(compare_type=True, render_as_batch=True,
                render_item=render_migration_item).init_app(self._app, self._db,
                                                           directory=self._directory)
        return getattr(self._app.extensions["migrate"], name)


class _DbCommands(click.Group):
    """``flask db …``: Flask-Migrate's group, imported when it is used (``flask --help``
    lists it without)."""

    def make_context(self, info_name, args, parent=None, **extra):
        """The context of Flask-Migrate's own group: its options, its commands."""
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)


class LazyMigrate:
    """Flask-Migrate's ``init_app`` without importing it (see the module's docstring)."""

    def init_app(self, app, database, directory: str) -> None:
        """Register the stand-in and the ``flask db`` group on ``app``."""
        app.extensions["migrate"] = _BoundOnUse(app, database, directory)
        app.cli.add_command(_DbCommands("db", help="Perform database migrations."))


migrate = LazyMigrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
