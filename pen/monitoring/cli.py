"""``flask --app pen monitoring check``: the watch from a timer, not only from the worker."""

import click
from flask import Flask
from flask.cli import AppGroup

from . import alerts

group = AppGroup("monitoring", help="The platform's health: checks, incidents, alerts.")


@group.command("check")
def check_command() -> None:
    """Look at the platform's health once; open or clear incidents and mail about them."""
    report = alerts.watch()
    click.echo(f"incidents: {report}")
    for name in report.opened:
        click.echo(f"  opened: {name}")
    for name in report.cleared:
        click.echo(f"  cleared: {name}")


def register(app: Flask) -> None:
    """Add the command group."""
    app.cli.add_command(group)
