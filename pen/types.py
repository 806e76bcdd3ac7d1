"""Column types, an SQL function and time helpers shared by every model."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A datetime stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, PostgreSQL does; this makes both return aware UTC values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Refuse naive datetimes so nothing is stored in an unknown zone."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        """Attach UTC to values SQLite hands back naive."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class distinct_strings(GenericFunction):  # lower case: the name SQLAlchemy registers (func.…)
    """The distinct values of a text column, joined by commas, in no order (NULL for
    none): ``group_concat(DISTINCT x)`` on SQLite, which takes no separator then, and
    ``string_agg(DISTINCT x, ',')`` on PostgreSQL."""

    type = String()
    inherit_cache = True


@compiles(distinct_strings)
def _distinct_strings_sqlite(element, compiler, **kw):
    """SQLite (and the default): ``group_concat(DISTINCT x)``."""
    return f"group_concat(DISTINCT {compiler.process(element.clauses, **kw)})"


@compiles(distinct_strings, "postgresql")
def _distinct_strings_postgresql(element, compiler, **kw):
    """PostgreSQL: ``string_agg(DISTINCT x, ',')``."""
    return f"string_agg(DISTINCT {compiler.process(element.clauses, **kw)}, ',')"


def render_migration_item(type_, obj, autogen_context):
    """Write ``UTCDateTime`` columns into migrations as plain timezone-aware DateTime.

    Revisions then depend on SQLAlchemy alone, not on this module's import path.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
