"""``flask --app pen mail digest|bounce|receive``: digests, delivery reports, replies."""

import email
import email.policy
import signal
import threading

import click
from flask import current_app
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


@mail_cli.command("receive")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8025, show_default=True, type=int)
@click.option("--lmtp", is_flag=True, help="Speak LMTP instead of SMTP.")
def receive_command(host: str, port: int, lmtp: bool) -> None:
    """Receive replies by email and delivery reports from the MTA, until stopped."""
    from .receiver import make_controller  # aiosmtpd, for this command only

    controller = make_controller(current_app._get_current_object(), host, port, lmtp)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    controller.start()
    click.echo(f"Receiving mail ({'LMTP' if lmtp else 'SMTP'}) on {host}:{port}.")
    stop.wait()
    controller.stop()
