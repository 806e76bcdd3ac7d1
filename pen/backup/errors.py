"""The one error of backup and restore: its message is what the command prints."""

import click


class BackupError(click.ClickException):
    """A backup or restore that cannot go on; the message says why."""
