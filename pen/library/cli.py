"""``flask --app pen library import FOLDER --metadata FILE.csv`` and ``library extract``."""

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select, update

from ..auth import service as auth_service
from ..auth.system import SYSTEM
from ..extensions import db
from ..imports import textfiles
from . import extraction
from .importer import ImportFileError, import_folder, read_rows
from .models import FAILED, PENDING, Version

library_cli = AppGroup("library", help="The document library.")


@library_cli.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--metadata", "metadata", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV file describing the files (see the README).")
@click.option("--as", "as_email", default=None, help="Email of the member shown as uploader.")
@click.option("--quiet", is_flag=True, help="Print only refused lines and the summary.")
@click.option("--no-extract", is_flag=True,
              help="Without --as: leave the text to the worker instead of reading it now.")
def import_command(folder: Path, metadata: Path, as_email: str | None, quiet: bool,
                   no_extract: bool) -> None:
    """Add the files of FOLDER to the library, described by a CSV file.

    Without ``--as`` nobody would be told of a file whose text cannot be read, so
    the command reads the text of the imported files itself and prints, by file,
    those it could not read (they are also on the administrators' failures page).
    """
    actor = _actor(as_email)
    try:
        text = textfiles.decode(metadata.read_bytes())
        total = len(read_rows(text))
    except textfiles.Refused as exc:
        raise click.ClickException(f"{metadata}: {exc.message}") from exc
    except ImportFileError as exc:
        raise click.ClickException(f"{metadata}: {exc}") from exc
    with click.progressbar(length=total, label="Importing", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        report = import_folder(actor, folder, text, progress=bar.update)
    for line in report.lines:
        if not quiet or line.outcome == "refused":
            click.echo(str(line))
    if as_email or no_extract:
        click.echo(report.summary() + "; the worker extracts their text "
                   "(or run `flask --app pen library extract`)")
        return
    _extract_now(report)


def _extract_now(report) -> None:
    """Read the text of the imported files; print each one that could not be read."""
    imported = [line for line in report.lines if line.document_id is not None]
    failed = extraction.extract_documents([line.document_id for line in imported])
    by_document = {line.document_id: line for line in imported}
    for version in failed:
        line = by_document[version.document_id]
        click.echo(f"line {line.number}: {line.file}: text not read: "
                   f"{version.extraction_error} (document {version.document_id})")
    click.echo(f"{report.summary()}; text of {len(failed)} file(s) could not be read "
               "(listed above and on the administrators' failures page)")


def _actor(email: str | None):
    """The account named by ``--as``, or the system."""
    if not email:
        return SYSTEM
    user = auth_service.find_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with the email {email}")
    return user


@library_cli.command("extract")
@click.option("--retry-failed", is_flag=True, help="Try files whose extraction failed again.")
def extract_command(retry_failed: bool) -> None:
    """Extract the text of every file waiting for it, now, with a progress bar."""
    if retry_failed:
        db.session.execute(update(Version).where(Version.extraction == FAILED)
                           .values(extraction=PENDING, extraction_error=""))
        db.session.commit()
    total = len(db.session.scalars(select(Version.id).where(Version.extraction == PENDING)).all())
    done = 0
    with click.progressbar(length=total, label="Extracting", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        while handled := extraction.run_pending():
            done += handled
            bar.update(handled)
    failed = db.session.scalar(select(func.count()).select_from(Version)
                               .where(Version.extraction == FAILED))
    click.echo(f"{done} extracted; {failed} file(s) whose text could not be read")


def register(app: Flask) -> None:
    """Add the ``library`` commands."""
    app.cli.add_command(library_cli)
