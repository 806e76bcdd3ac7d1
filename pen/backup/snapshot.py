"""The steps of a backup and of a restore, and the manifest that ties them together."""

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from sqlalchemy import inspect, select, text

from .. import search
from ..extensions import db
from ..files import uploads_root
from ..search import index
from . import native, portable
from .errors import BackupError
from .uploads import copy_uploads, restore_uploads, verify_files

FORMAT = 1
MANIFEST = "manifest.json"
# Rows the migrations themselves insert (vocabularies); a fresh `db upgrade` has them.
SEEDED_TABLES = {"roles", "expertise_areas"}


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


def dump_database(folder: Path, logical: bool) -> dict:
    """Dump the database into ``folder``; describe how in the manifest's terms."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite" and not logical:
        return native.sqlite_backup(folder / "database.sqlite3")
    if dialect == "postgresql" and not logical and native.pg_tool_usable("pg_dump"):
        return native.pg_dump(folder / "database.pgdump")
    return portable.dump(folder / "database.jsonl")


# --- Restore -----------------------------------------------------------------------

def restore(src: Path) -> dict:
    """Load a backup into this empty instance, copy its uploads, rebuild the index."""
    manifest = read_manifest(src)
    check_empty(manifest)
    verify_files(src / "uploads", manifest["files"])  # before anything is written here
    load_database(src, manifest)
    restore_uploads(src / "uploads", uploads_root(), manifest["files"])
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
        native.sqlite_restore(dump)
        return
    _prepare_schema(manifest["alembic_revision"])
    if described["method"] == "pg_dump":
        native.pg_restore(dump, described["schema"])
    else:
        portable.restore(dump)


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
