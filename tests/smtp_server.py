"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, collecting what it receives.

``SMTPServer.start()`` listens on a free port; ``messages`` holds every message
accepted, parsed with ``email.policy.default`` (line ends made ``\n`` again, as
they were before SMTP turned them into CRLF). ``refuse(...)`` makes it answer
every DATA (or RCPT) with a failure (``451`` by default) until ``accept()``.
"""

import email
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """One accepted message: the SMTP envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class CollectingHandler:
    """aiosmtpd handler: keeps accepted messages, or refuses them when told to."""

    messages: list[Received] = field(default_factory=list)
    refusal: str | None = None
    refuse_at: str = "DATA"
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        """Accept a recipient, or refuse it when refusing at RCPT."""
        with self.lock:
            if self.refusal is not None and self.refuse_at == "RCPT":
                self.refused += 1
                return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        """Accept (250) and keep the message, or answer the configured refusal."""
        with self.lock:
            if self.refusal is not None and self.refuse_at == "DATA":
                self.refused += 1
                return self.refusal
            raw = envelope.content.replace(b"\r\n", b"\n")
            parsed = email.message_from_bytes(raw, policy=default_policy)
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


class SMTPServer:
    """A started aiosmtpd ``Controller`` on ``127.0.0.1:<free port>``."""

    def __init__(self) -> None:
        self.handler = CollectingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname=HOST, port=self.port)

    @property
    def url(self) -> str:
        """The ``MAIL_URL`` that points the app at this server."""
        return f"smtp://{HOST}:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        """The messages received so far, parsed."""
        with self.handler.lock:
            return [received.message for received in self.handler.messages]

    @property
    def envelopes(self) -> list[Received]:
        """The messages received so far, with their SMTP envelope."""
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def refused(self) -> int:
        """How many DATA commands were refused."""
        return self.handler.refused

    def refuse(self, reply: str = "451 try again later", at: str = "DATA") -> None:
        """Answer every message (``at="DATA"``) or recipient (``at="RCPT"``) with ``reply``.

        The default is a temporary failure; a ``5xx`` reply is a permanent one.
        """
        assert at in {"DATA", "RCPT"}
        self.handler.refusal, self.handler.refuse_at = reply, at

    def accept(self) -> None:
        """Accept messages again."""
        self.handler.refusal = None

    def reset(self) -> None:
        """Forget what was received and accept again."""
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.refusal, self.handler.refuse_at = None, "DATA"
            self.handler.refused = 0

    def start(self) -> "SMTPServer":
        """Listen; returns when the server answers."""
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self.controller.stop()
