"""The inbound mail receiver: ``flask --app pen mail receive`` (aiosmtpd, SMTP or LMTP).

It listens behind the site's MTA, which hands it the mail for ``REPLY_DOMAIN``
(and the bounce address). One recipient per transaction (others are told to
come back, ``452``, as RFC 5321 allows); addresses that are no reply address
are refused at RCPT; a message larger than ``INBOUND_MAX_MB`` is refused at
MAIL or DATA (``552``). What a message holds is handled by ``inbound.receive``,
in a worker thread with its own app context, so a slow database never stalls
the listener; an error there answers ``451`` (the MTA retries) and never stops
the receiver.
"""

import asyncio

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from flask import Flask

from ..extensions import db
from . import inbound, replies


class ReplyHandler:
    """aiosmtpd handler: checks recipients, hands each message to ``inbound.receive``."""

    def __init__(self, app: Flask):
        """Handle mail for ``app``."""
        self.app = app

    def _known(self, address: str) -> bool:
        """A reply address of ours, or the bounce address."""
        with self.app.app_context():
            bounce = (self.app.config.get("MAIL_BOUNCE_ADDRESS") or "").lower()
            return replies.parse(address) is not None or (
                bool(bounce) and address.strip("<> ").lower() == bounce)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """One known recipient per transaction."""
        if envelope.rcpt_tos:
            return "452 4.5.3 One recipient per message, please"
        if not self._known(address):
            return "550 5.1.1 This reply address is not valid"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """Handle the message in a worker thread; 451 if anything breaks."""
        loop = asyncio.get_running_loop()
        data = envelope.original_content or envelope.content
        return await loop.run_in_executor(None, self._receive, envelope.mail_from,
                                          envelope.rcpt_tos[0], data)

    def _receive(self, mail_from: str, recipient: str, data: bytes) -> str:
        with self.app.app_context():
            try:
                return inbound.receive(mail_from, recipient, data)
            except Exception:
                db.session.rollback()
                self.app.logger.exception("inbound mail to %s could not be handled", recipient)
                return "451 4.3.0 The message could not be handled now; try again later"


class LMTPController(Controller):
    """The same receiver speaking LMTP (RFC 2033), for MTAs that deliver that way."""

    def factory(self):
        """An LMTP server instead of SMTP."""
        return LMTP(self.handler, **self.SMTP_kwargs)


def make_controller(app: Flask, host: str, port: int, lmtp: bool = False) -> Controller:
    """A receiver for ``app`` on ``host:port`` (not started)."""
    limit = int(float(app.config["INBOUND_MAX_MB"]) * 2**20)
    kind = LMTPController if lmtp else Controller
    return kind(ReplyHandler(app), hostname=host, port=port, data_size_limit=limit)
