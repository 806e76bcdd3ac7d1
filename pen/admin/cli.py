"""Commands: ``users``, ``seed-demo`` and ``serve``."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from werkzeug.serving import run_simple

from .. import worker
from ..auth import service
from ..auth.models import RoleName, UserStatus
from ..auth.system import SYSTEM
from ..errors import ValidationError
from ..extensions import db
from . import demo

users_cli = AppGroup("users", help="Create and manage accounts.")
ROLE_CHOICES = click.Choice([role.value for role in RoleName])


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", "roles", multiple=True, type=ROLE_CHOICES,
              help="Repeat for several roles; every account is a member.")
def create_user(email: str, display_name: str, password: str, roles: tuple[str, ...]) -> None:
    """Create an active account."""
    try:
        user = service.create_user(email, display_name, password, roles)
    except ValidationError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(sorted(user.role_names))}).")


@users_cli.command("set-status")
@click.option("--email", required=True)
@click.argument("status", type=click.Choice([UserStatus.ACTIVE.value, UserStatus.SUSPENDED.value]))
def set_status(email: str, status: str) -> None:
    """Suspend (ending every session) or reactivate an account."""
    user = service.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    try:
        service.set_status(SYSTEM, user, UserStatus(status))
    except ValidationError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"{user.email} is now {status}.")


@click.command("seed-demo")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The host `serve` will listen on (for the links in the demo's mail).")
@click.option("--port", default=None, type=int,
              help="The port `serve` will listen on; without it (and without PEN_SITE_URL) "
                   "the links name port 5000.")
@with_appcontext
def seed_demo(host: str, port: int | None) -> None:
    """Add the demo content that is missing (safe to run again)."""
    if port and not current_app.config.get("SITE_URL"):
        current_app.config["SITE_URL"] = served_url(host, port)
    created = demo.seed()
    accounts = [item for item in created if "@" in item]
    click.echo(f"Demo content: {len(accounts)} account(s) and "
               f"{len(created) - len(accounts)} member profile(s) created.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve the site for development, with the mail worker in the background."""
    app = current_app._get_current_object()
    address = served_url(host, port)
    app.config["SITE_URL"] = app.config.get("SITE_URL") or address  # links in mail
    worker.start_background(app)
    click.echo(f"\n  PEN is running at {address}/\n")
    click.echo(f"  Demo accounts (password: {demo.DEMO_PASSWORD}):")
    for account, state in demo.account_states():
        click.echo(f"    {account.email:<26} {state}")
    click.echo(f"  Mail is written to {app.config['DATA_DIR']}/mail/ unless PEN_MAIL_URL is set.\n")
    run_simple(host, port, app, use_debugger=app.debug, use_reloader=False, threaded=True)


def served_url(host: str, port: int) -> str:
    """The address a browser on this machine opens (``0.0.0.0`` listens everywhere)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104 - a name
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def register(app: Flask) -> None:
    """Add the commands to ``flask --app pen``."""
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(serve)
