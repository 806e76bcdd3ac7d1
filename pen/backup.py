"""``flask --app pen backup DEST`` and ``restore SRC``: an online snapshot and its return.

A backup is a folder: ``manifest.json`` (format, database method, Alembic revision,
the sha256 and size of every upload), the database dump and ``uploads/``. It is
written as ``DEST.part`` and renamed when complete, so a half backup is never
mistaken for a whole one.

The database is dumped first, in one snapshot (SQLite: the online backup API;
PostgreSQL: ``pg_dump`` when its version can read the server, else a logical dump
of every table in foreign-key order inside one REPEATABLE READ, read-only
transaction). Uploads are copied afterwards: stored files are never rewritten
(each has a new random name), so every file a row of the snapshot names is still
there unless it was deleted in the meantime; files added later are harmless extras.

This is a core module (like ``worker``): it sees tables through the metadata and
rebuilds the index through ``search``, and imports no area.
"""

import base64
import datetime as dt
import decimal
import enum
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import Enum, Integer, func, insert, inspect, select, text

from . import search
from .extensions import db
from .search import index

FORMAT = 1
MANIFEST = "manifest.json"
# Rows the migrations themselves insert (vocabularies); a fresh `db upgrade` has them.
SEEDED_TABLES = {"roles", "expertise_areas"}


class BackupError(click.ClickException):
    """A backup or restore that cannot go on; the message says why."""


# --- Backup ------------------------------------------------------------------------

def backup(dest: Path, logical: bool = False) -> dict:
    """Write a complete backup to ``dest`` (which must not exist); return the manifest."""
    if dest.exists():
        raise BackupError(f"{dest} already exists; give a new folder.")
    part = dest.with_name(dest.name + ".part")
    shutil.rmtree(part, ignore_errors=True)  # a previous attempt that was interrupted
    part.mkdir(parents=True)
    manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "alembic_revision": alembic_revision()}
    manifest["database"] = dump_database(part, logical)
    manifest["files"], manifest["vanished"] = copy_uploads(uploads_root(), part / "uploads")
    (part / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    for written in (part / manifest["database"]["file"], part / MANIFEST):
        _fsync(written)  # on disk before the rename says the backup is whole
    os.replace(part, dest)
    return manifest


def _fsync(path: Path) -> None:
    """Flush a written file to the disk."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def alembic_revision() -> str | None:
    """The database's migration revision, or None when it was made without migrations."""
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    return db.session.scalar(text("SELECT version_num FROM alembic_version"))


def uploads_root() -> Path:
    """The folder holding every area's uploads."""
    return Path(current_app.config["DATA_DIR"]) / "uploads"


def dump_database(folder: Path, logical: bool) -> dict:
    """Dump the database into ``folder``; describe how in the manifest's terms."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite" and not logical:
        return _sqlite_backup(folder / "database.sqlite3")
    if dialect == "postgresql" and not logical and pg_tool_usable("pg_dump"):
        return _pg_dump(folder / "database.pgdump")
    return _logical_dump(folder / "database.jsonl")


def _sqlite_backup(target: Path) -> dict:
    """SQLite's online backup API: a consistent copy while others keep writing."""
    source = sqlite3.connect(db.engine.url.database)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return {"dialect": "sqlite", "method": "sqlite-backup", "file": target.name}


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


def _pg_dump(target: Path) -> dict:
    """pg_dump of the data (custom format); it takes its own consistent snapshot."""
    uri, env, schema = _pg_connection()
    _run([shutil.which("pg_dump"), "--format=custom", "--data-only", f"--schema={schema}",
          f"--exclude-table={schema}.alembic_version", f"--file={target}", uri], env)
    return {"dialect": "postgresql", "method": "pg_dump", "file": target.name, "schema": schema}


def _logical_dump(target: Path) -> dict:
    """Every table's rows as JSON lines, in FK order, from one read-only snapshot."""
    counts = {}
    snapshot = ({"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
                if db.engine.dialect.name == "postgresql" else {})
    with (db.engine.connect().execution_options(**snapshot) as conn, conn.begin(),
          open(target, "w", encoding="utf-8") as out):
        for table in db.metadata.sorted_tables:
            counts[table.name] = 0
            order = list(table.primary_key.columns) or list(table.columns)
            for row in conn.execute(select(table).order_by(*order)):
                out.write(json.dumps({"t": table.name, "r": _encode(row._mapping)}) + "\n")
                counts[table.name] += 1
    return {"dialect": db.engine.dialect.name, "method": "logical", "file": target.name,
            "rows": counts}


def _encode(row) -> dict:
    """A row as JSON-able values; types JSON lacks are tagged."""
    encoded = {}
    for key, value in row.items():
        if isinstance(value, enum.Enum):
            value = {"$enum": value.name}
        elif isinstance(value, dt.datetime):
            value = {"$dt": value.isoformat()}
        elif isinstance(value, dt.date):
            value = {"$date": value.isoformat()}
        elif isinstance(value, dt.time):
            value = {"$time": value.isoformat()}
        elif isinstance(value, decimal.Decimal):
            value = {"$dec": str(value)}
        elif isinstance(value, bytes | memoryview):
            value = {"$b64": base64.b64encode(bytes(value)).decode()}
        encoded[str(key)] = value
    return encoded


def copy_uploads(source: Path, target: Path) -> tuple[dict, list]:
    """Copy every stored file (not uploads in progress); their sha256 and size, and the
    files that were deleted between listing and copying."""
    manifest, vanished = {}, []
    for path in sorted(source.glob("*/*")) if source.is_dir() else []:
        if path.name.startswith(".") or not path.is_file():
            continue  # .part files: uploads still being received
        relative = path.relative_to(source).as_posix()
        try:
            manifest[relative] = _copy_hashed(path, target / relative)
        except FileNotFoundError:
            vanished.append(relative)
    return manifest, vanished


def _copy_hashed(source: Path, target: Path) -> dict:
    """Copy one file through a ``.part`` and rename; its sha256 and size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part")
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as src, open(part, "wb") as out:
        while block := src.read(2**20):
            digest.update(block)
            size += len(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, target)
    return {"sha256": digest.hexdigest(), "size": size}


# --- Restore -----------------------------------------------------------------------

def restore(src: Path) -> dict:
    """Load a backup into this empty instance, copy its uploads, rebuild the index."""
    manifest = read_manifest(src)
    check_empty(manifest)
    verify_files(src / "uploads", manifest["files"])  # before anything is written here
    load_database(src, manifest)
    restore_uploads(src / "uploads", uploads_root(), manifest["files"])
    db.session.execute(search.SearchOutbox.__table__.delete())  # the rebuild covers them
    db.session.commit()
    return {adapter.kind: index.rebuild(adapter) for adapter in search.registered().values()}


def read_manifest(src: Path) -> dict:
    """The manifest of a complete backup, or a clear error."""
    if src.name.endswith(".part") or not (src / MANIFEST).is_file():
        raise BackupError(f"{src} is not a complete backup (no {MANIFEST}).")
    manifest = json.loads((src / MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{src} has backup format {manifest.get('format')}; "
                          f"this version reads {FORMAT}.")
    return manifest


def check_empty(manifest: dict) -> None:
    """Refuse an instance that holds data, or whose database is at another revision."""
    found = inspect(db.engine)
    filled = [t.name for t in db.metadata.sorted_tables if t.name not in SEEDED_TABLES
              and found.has_table(t.name)
              and db.session.execute(select(1).select_from(t).limit(1)).first()]
    if filled:
        named = ", ".join(filled[:4]) + (f" and {len(filled) - 4} more" if len(filled) > 4 else "")
        raise BackupError("restore needs an empty instance, but the database already holds "
                          f"data (in {named}); restore into a new database.")
    if any(uploads_root().glob("*/*")):
        raise BackupError(f"restore needs an empty instance, but {uploads_root()} holds files.")
    current, wanted = alembic_revision(), manifest["alembic_revision"]
    if current and wanted and current != wanted:
        raise BackupError(f"the database is at migration {current} but the backup at {wanted}; "
                          f"run `flask --app pen db upgrade {wanted}` on an empty database.")


def load_database(src: Path, manifest: dict) -> None:
    """Load the dump with the method that wrote it."""
    described = manifest["database"]
    dialect = db.engine.dialect.name
    if described["dialect"] != dialect:
        raise BackupError(f"the backup is of a {described['dialect']} database; "
                          f"this instance uses {dialect}.")
    dump = src / described["file"]
    if described["method"] == "sqlite-backup":
        _sqlite_restore(dump)
        return
    _prepare_schema(manifest["alembic_revision"])
    if described["method"] == "pg_dump":
        _pg_restore(dump, described["schema"])
    else:
        _logical_restore(dump)


def _sqlite_restore(dump: Path) -> None:
    """Copy the whole backed-up database (schema and rows) over the empty one."""
    db.session.remove()
    db.engine.dispose()
    source, target = sqlite3.connect(dump), sqlite3.connect(db.engine.url.database)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _prepare_schema(revision: str | None) -> None:
    """Tables to load into: those of the backup's migration, without the seeded rows."""
    if not inspect(db.engine).has_table("users"):
        if revision:
            from flask_migrate import upgrade

            upgrade(revision=revision)
        else:
            db.create_all()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _pg_restore(dump: Path, schema: str) -> None:
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


def _logical_restore(dump: Path) -> None:
    """Insert the JSON lines table by table, then move PostgreSQL's sequences past them."""
    tables = db.metadata.tables
    batch, name = [], None
    with db.engine.begin() as conn:
        with open(dump, encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                if item["t"] != name and batch:
                    conn.execute(insert(tables[name]), batch)
                    batch = []
                name = item["t"]
                batch.append(_decode(tables[name], item["r"]))
        if batch:
            conn.execute(insert(tables[name]), batch)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)


def _decode(table, row: dict) -> dict:
    """The row's values back as the column types take them."""
    decoded = {}
    for key, value in row.items():
        if isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith("$"):
            tag, raw = next(iter(value.items()))
            value = {"$dt": dt.datetime.fromisoformat, "$date": dt.date.fromisoformat,
                     "$time": dt.time.fromisoformat, "$dec": decimal.Decimal,
                     "$b64": base64.b64decode}.get(tag, lambda v: v)(raw)
            if tag == "$enum":
                column_type = table.c[key].type
                value = column_type.enum_class[raw] if isinstance(column_type, Enum) else raw
        decoded[key] = value
    return decoded


def _reset_sequences(conn) -> None:
    """Each serial column's sequence continues after the highest restored id."""
    for table in db.metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        for column in columns if len(columns) == 1 else []:
            if isinstance(column.type, Integer):
                highest = conn.scalar(select(func.max(column))) or 0
                conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), :n, false) "
                                  "WHERE pg_get_serial_sequence(:t, :c) IS NOT NULL"),
                             {"t": table.name, "c": column.name, "n": highest + 1})


def verify_files(folder: Path, expected: dict) -> None:
    """Refuse a backup whose files are missing or differ from their manifest sha256."""
    for relative, described in sorted(expected.items()):
        digest = hashlib.sha256()
        try:
            with open(folder / relative, "rb") as handle:
                while block := handle.read(2**20):
                    digest.update(block)
        except FileNotFoundError:
            raise BackupError(f"{relative} is missing from the backup.") from None
        if digest.hexdigest() != described["sha256"]:
            raise BackupError(_damaged(relative))


def _damaged(relative: str) -> str:
    return (f"{relative} in the backup is damaged: its sha256 is not the one recorded "
            "when it was written.")


def restore_uploads(source: Path, target: Path, expected: dict) -> None:
    """Copy every file of the manifest, refusing one whose sha256 differs."""
    for relative, described in sorted(expected.items()):
        copied = _copy_hashed(source / relative, target / relative)
        if copied["sha256"] != described["sha256"]:
            (target / relative).unlink()
            raise BackupError(_damaged(relative))


# --- Commands ----------------------------------------------------------------------

@click.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--logical", is_flag=True,
              help="The portable dump (JSON lines), even where pg_dump or SQLite's own "
                   "backup could be used.")
@with_appcontext
def backup_command(dest: Path, logical: bool) -> None:
    """Back up the database and the uploads to the new folder DEST, while the site runs."""
    manifest = backup(dest, logical=logical)
    click.echo(f"Backed up the database ({manifest['database']['method']}, migration "
               f"{manifest['alembic_revision'] or 'none'}) and {len(manifest['files'])} "
               f"file(s) to {dest}.")
    for relative in manifest["vanished"]:
        click.echo(f"  {relative} was deleted during the backup and is not in it.")


@click.command("restore")
@click.argument("src", type=click.Path(path_type=Path, exists=True, file_okay=False))
@with_appcontext
def restore_command(src: Path) -> None:
    """Restore the backup SRC into this empty instance and rebuild the search index."""
    rebuilt = restore(src)
    click.echo(f"Restored {src}; search index rebuilt ({sum(rebuilt.values())} documents).")


def register(app: Flask) -> None:
    """Add ``backup`` and ``restore`` to ``flask --app pen``."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
