"""``flask --app pen events …``: reminders."""

import click
from flask import Flask
from flask.cli import AppGroup

from . import registration

events_cli = AppGroup("events", help="Events: reminders to registered members.")


@events_cli.command("remind")
def remind_command() -> None:
    """Email a reminder to every confirmed member of an event starting within
    EVENTS_REMINDER_HOURS (24 by default); nobody is reminded twice."""
    sent = registration.send_reminders()
    click.echo(f"{sent} reminder(s) queued")


def register(app: Flask) -> None:
    """Add the command group."""
    app.cli.add_command(events_cli)
