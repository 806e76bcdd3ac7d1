"""``flask --app pen members import FILE [--dry-run] [--cohort NAME]``."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..errors import ValidationError
from ..imports import Refused
from .importer import ImportFileError, import_members, read_file, read_records

members_cli = AppGroup("members", help="The member database.")
PROGRESS_THRESHOLD = 200  # lines; shorter files import before a bar would draw


@members_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change; save nothing.")
@click.option("--quiet", is_flag=True, help="Print only refused lines and the summary.")
@click.option("--cohort", default="", help="Add every imported member to this cohort.")
def import_command(path: Path, dry_run: bool, quiet: bool, cohort: str) -> None:
    """Create or update members from the contact list (CSV, `,` or `;`, UTF-8 or UTF-16)."""
    text = _read_text(path)
    try:
        total = len(read_records(text))
    except ImportFileError as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    show_bar = total >= PROGRESS_THRESHOLD and sys.stderr.isatty()
    with click.progressbar(length=total, label="Importing", file=sys.stderr,
                           hidden=not show_bar) as bar:
        try:
            report = import_members(text, dry_run=dry_run, progress=bar.update,
                                    options={"cohort": cohort} if cohort else None)
        except ValidationError as exc:  # a cohort that does not exist
            raise click.ClickException(str(exc.message)) from exc
    for line in report.lines:
        if not quiet or line.outcome == "skipped":
            click.echo(str(line))
    click.echo(report.summary())


def _read_text(path: Path) -> str:
    """The file as text (UTF-8 or UTF-16), else a clear refusal naming the lines."""
    try:
        return read_file(path.read_bytes())
    except Refused as exc:
        raise click.ClickException(f"{path}: {exc.message}") from exc
