"""``flask --app pen mail digest``: send the daily digests."""

import click
from flask.cli import AppGroup

from .delivery import send_digests

mail_cli = AppGroup("mail", help="Notification email.")


@mail_cli.command("digest")
def digest_command() -> None:
    """Email each member who chose the daily digest what is new for them (run daily)."""
    report = send_digests()
    click.echo(f"Digest: {report}.")
