"""Helpers for the test suite and the benchmarks (not used by the running site)."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text


@contextmanager
def temporary_schema(database_url: str, prefix: str = "pen_test") -> Iterator[str]:
    """A new, empty PostgreSQL schema for one run; dropped with everything in it after."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def schema_settings(database_url: str, schema: str) -> dict:
    """App settings that put every connection's search_path on ``schema``."""
    return {
        "DATABASE_URL": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }
