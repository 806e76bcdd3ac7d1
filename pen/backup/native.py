"""The database's own tools: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore."""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import text

from ..extensions import db
from .errors import BackupError


def sqlite_backup(target: Path) -> dict:
    """SQLite's online backup API: a consistent copy while others keep writing."""
    source = sqlite3.connect(db.engine.url.database)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return {"dialect": "sqlite", "method": "sqlite-backup", "file": target.name}


def sqlite_restore(dump: Path) -> None:
    """Copy the whole backed-up database (schema and rows) over the empty one."""
    db.session.remove()
    db.engine.dispose()
    source, target = sqlite3.connect(dump), sqlite3.connect(db.engine.url.database)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def pg_tool_usable(tool: str) -> bool:
    """Whether ``tool`` is installed and at least as new as the server (it can read it)."""
    path = shutil.which(tool)
    if path is None:
        return False
    output = subprocess.run([path, "--version"], capture_output=True, text=True,  # noqa: S603
                            check=False).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    server = int(db.session.scalar(text("SHOW server_version_num"))) // 10000
    return bool(found) and int(found.group(1)) >= server


def _pg_connection() -> tuple[str, dict, str]:
    """(libpq URI without the password, environment with it, the schema in use)."""
    url = db.engine.url
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    return uri, env, db.session.scalar(text("SELECT current_schema()"))


def _run(args: list[str], env: dict) -> None:
    """Run a PostgreSQL client tool; its own message when it fails."""
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()}")


def pg_dump(target: Path) -> dict:
    """pg_dump of the data (custom format); it takes its own consistent snapshot."""
    uri, env, schema = _pg_connection()
    _run([shutil.which("pg_dump"), "--format=custom", "--data-only", f"--schema={schema}",
          f"--exclude-table={schema}.alembic_version", f"--file={target}", uri], env)
    return {"dialect": "postgresql", "method": "pg_dump", "file": target.name, "schema": schema}


def pg_restore(dump: Path, schema: str) -> None:
    """pg_restore of the data, in one transaction; the schema must have the same name."""
    uri, env, current = _pg_connection()
    if current != schema:
        raise BackupError(f"the backup holds schema {schema!r} but this database uses "
                          f"{current!r}; restore into a database using {schema!r}.")
    if not pg_tool_usable("pg_restore"):
        raise BackupError("pg_restore is missing or older than the server; install the "
                          "PostgreSQL client of the server's version.")
    db.session.remove()
    _run([shutil.which("pg_restore"), "--data-only", "--single-transaction", "--no-owner",
          f"--dbname={uri}", str(dump)], env)
