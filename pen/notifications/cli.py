"""``flask --app pen mail digest|bounce|receive``: digests, delivery reports, replies."""

import email
import email.policy

import click
from flask.cli import AppGroup

from .. import bounces
from .delivery import send_digests

mail_cli = AppGroup("mail", help="Notification email.")


@mail_cli.command("digest")
def digest_command() -> None:
    """Email each member who chose the daily digest what is new for them (run daily)."""
    report = send_digests()
    click.echo(f"Digest: {report}.")


@mail_cli.command("bounce")
@click.argument("source", type=click.File("rb"), default="-")
def bounce_command(source) -> None:
    """Read a delivery report (RFC 3464) from SOURCE (default: standard input) and mark
    the addresses that failed for good (for an MTA that pipes bounces here)."""
    message = email.message_from_binary_file(source, policy=email.policy.default)
    marked = bounces.process(message)
    click.echo(f"Bouncing: {', '.join(marked) if marked else 'none'}.")
