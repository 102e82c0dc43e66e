"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, keeping every message it receives.

The `smtp_server` fixture: import it into a test module (with `# noqa: F401`), or list this
module in conftest.py's `pytest_plugins`. `running_smtp_server(credentials=...)`
starts one that checks a login.
"""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

_URL = re.compile(r"https?://[^\s<>\"']+")


def free_port() -> int:
    """A port nothing listens on right now (also: the address of a refused connection)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ReceivedMail:
    envelope_from: str
    envelope_to: list[str]
    message: EmailMessage


class _Handler:
    def __init__(self, received: list[ReceivedMail], refuse: set[str]) -> None:
        self.received = received
        self.refuse = refuse

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(
            ReceivedMail(
                envelope_from=str(envelope.mail_from),
                envelope_to=[str(address) for address in envelope.rcpt_tos],
                message=parsed,
            )
        )
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    credentials: tuple[str, str] | None = None
    received: list[ReceivedMail] = field(default_factory=list)
    # Recipients the server answers 550 for (add to it at any time).
    refuse: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        return [mail.message for mail in self.received]

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:  # noqa: ASYNC109 (polls the server's thread)
        """The messages, once at least `count` have arrived (the server runs in a thread)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} message(s), got {len(self.received)}")
            await asyncio.sleep(0.01)
        return self.messages

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None, "the message has no text/plain part"
        return str(part.get_content()).replace("\r\n", "\n")

    @staticmethod
    def html(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("html",))
        assert part is not None, "the message has no text/html part"
        return str(part.get_content()).replace("\r\n", "\n")

    @classmethod
    def links(cls, message: EmailMessage) -> list[str]:
        """The http(s) URLs in the text part, in order."""
        return cls.links_in(cls.text(message))

    @staticmethod
    def links_in(text: str) -> list[str]:
        return _URL.findall(text)


def _authenticator(credentials: tuple[str, str]) -> Any:
    def check(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        given = (
            (auth_data.login.decode(), auth_data.password.decode())
            if isinstance(auth_data, LoginPassword)
            else None
        )
        # handled=False: aiosmtpd itself answers 535 when the login is wrong.
        return AuthResult(success=given == credentials, handled=False)

    return check


@contextmanager
def running_smtp_server(credentials: tuple[str, str] | None = None) -> Iterator[SmtpServer]:
    server = SmtpServer(host="127.0.0.1", port=free_port(), credentials=credentials)
    options: dict[str, Any] = {}
    if credentials is not None:
        # Loopback only: the test relay offers AUTH without TLS.
        options = {"authenticator": _authenticator(credentials), "auth_require_tls": False}
    controller = Controller(
        _Handler(server.received, server.refuse), hostname=server.host, port=server.port, **options
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture(name="smtp_server")
def smtp_server_fixture() -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        yield server


# Either import brings in the `smtp_server` fixture: `smtp_server` (then `# noqa: F811` on the
# parameters that shadow it) or `smtp_server_fixture`, which nothing shadows.
smtp_server = smtp_server_fixture
