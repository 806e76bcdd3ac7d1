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

The modules: ``snapshot`` (the steps of a backup and of a restore, the manifest),
``native`` (SQLite's backup API, ``pg_dump``/``pg_restore``), ``portable`` (the
logical dump as JSON lines), ``uploads`` (copying and checking the stored files) and
``commands`` (the two CLI commands).

This is a core package (like ``worker``): it sees tables through the metadata and
rebuilds the index through ``search``, and imports no area.
"""

from ..files import uploads_root
from .commands import backup_command, register, restore_command
from .errors import BackupError
from .native import pg_tool_usable
from .snapshot import (
    FORMAT,
    MANIFEST,
    SEEDED_TABLES,
    alembic_revision,
    backup,
    check_empty,
    dump_database,
    load_database,
    read_manifest,
    restore,
)
from .uploads import copy_uploads, restore_uploads, verify_files

__all__ = ["FORMAT", "MANIFEST", "SEEDED_TABLES", "BackupError", "alembic_revision", "backup",
           "backup_command", "check_empty", "copy_uploads", "dump_database", "load_database",
           "pg_tool_usable", "read_manifest", "register", "restore", "restore_command",
           "restore_uploads", "uploads_root", "verify_files"]
