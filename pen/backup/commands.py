"""The CLI: ``flask --app pen backup DEST [--logical]`` and ``flask --app pen restore SRC``."""

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from .snapshot import backup, restore


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
