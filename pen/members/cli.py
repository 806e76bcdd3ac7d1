"""``flask --app pen members import FILE [--dry-run]``."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from .importer import ImportFileError, import_members, read_records

members_cli = AppGroup("members", help="The member database.")
PROGRESS_THRESHOLD = 200  # lines; shorter files import before a bar would draw


@members_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change; save nothing.")
@click.option("--quiet", is_flag=True, help="Print only refused lines and the summary.")
def import_command(path: Path, dry_run: bool, quiet: bool) -> None:
    """Create or update members from the contact list (CSV, `,` or `;`, UTF-8)."""
    text = _read_text(path)
    try:
        total = len(read_records(text))
    except ImportFileError as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    show_bar = total >= PROGRESS_THRESHOLD and sys.stderr.isatty()
    with click.progressbar(length=total, label="Importing", file=sys.stderr,
                           hidden=not show_bar) as bar:
        report = import_members(text, dry_run=dry_run, progress=bar.update)
    for line in report.lines:
        if not quiet or line.outcome == "skipped":
            click.echo(str(line))
    click.echo(report.summary())


def _read_text(path: Path) -> str:
    """The file as text: UTF-8 (with or without BOM), else a clear refusal."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8 and try again"
        ) from exc
