"""``flask --app pen site mode [pilot|open]`` and ``flask --app pen invitations send|status``."""

import sys

import click
from flask.cli import AppGroup

from ..auth.system import SYSTEM
from ..errors import ValidationError
from ..types import utcnow
from . import sending, service, tracking
from .access import SITE_MODES, site_mode
from .models import STATES

site_cli = AppGroup("site", help="Site-wide settings.")
invitations_cli = AppGroup("invitations", help="Invite members and follow the rollout.")
PROGRESS_THRESHOLD = 200  # members; smaller runs finish before a bar would draw


@site_cli.command("mode")
@click.argument("mode", required=False, type=click.Choice(SITE_MODES))
def mode_command(mode: str | None) -> None:
    """Show the site mode, or switch it: pilot (test group and admins only) or open."""
    if mode is not None:
        service.set_site_mode(SYSTEM, mode)
    click.echo(f"The site is in {site_mode()} mode.")


@invitations_cli.command("send")
@click.option("--cohort", required=True, help="test-group, all, or a cohort's name or slug.")
@click.option("--dry-run", is_flag=True, help="Report who would be invited; send nothing.")
@click.option("--quiet", is_flag=True, help="Print only the summary and skipped members.")
def send_command(cohort: str, dry_run: bool, quiet: bool) -> None:
    """Queue invitations for a cohort, throttled; print what happened to each member."""
    try:
        total = len(sending.target_ids(cohort))
        sending.check_links()
        show_bar = total >= PROGRESS_THRESHOLD and sys.stderr.isatty()
        with click.progressbar(length=total, label="Inviting", file=sys.stderr,
                               hidden=not show_bar) as bar:
            report = sending.send_invitations(SYSTEM, cohort, dry_run, bar.update)
    except ValidationError as exc:
        raise click.ClickException(exc.message) from exc
    for line in report.lines:
        if not quiet or line.outcome == sending.SKIPPED:
            click.echo(str(line))
    click.echo(report.summary())
    if report.first_at:
        click.echo(f"Mail goes out from {report.first_at:%Y-%m-%d %H:%M:%S} to "
                   f"{report.last_at:%H:%M:%S} UTC, as the worker sends it.")


@invitations_cli.command("status")
def status_command() -> None:
    """Invitations by state, overall and per cohort."""
    now = utcnow()
    counts = tracking.counts(now)
    click.echo("all: " + ", ".join(f"{counts[state]} {state}" for state in STATES))
    for row in tracking.counts_by_cohort(now):
        states = ", ".join(f"{row.states[state]} {state}" for state in STATES)
        click.echo(f"{row.cohort.slug} ({row.size} members, {row.not_invited} not invited): "
                   f"{states}")


def register(app) -> None:
    """Add the commands to ``flask --app pen``."""
    app.cli.add_command(site_cli)
    app.cli.add_command(invitations_cli)

