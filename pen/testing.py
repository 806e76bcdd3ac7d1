"""Helpers for the test suite and the benchmarks (not used by the running site)."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text


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


@contextmanager
def temporary_database(server_url: str, prefix: str = "pen_test") -> Iterator[str]:
    """A new PostgreSQL database on the server of ``server_url``; its URL, dropped after."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
