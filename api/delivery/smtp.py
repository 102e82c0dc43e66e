"""Talking to the SMTP relay: `PORTAL_SMTP_URL`, the MIME message, and errors safe to store.

`smtp://[user:pass@]host[:587]` speaks plain SMTP and upgrades with STARTTLS when the server
offers it; `smtps://[user:pass@]host[:465]` is TLS from the first byte. A password is never
sent in clear over the network: with credentials, `smtp://` insists on STARTTLS unless the relay
is on this machine.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import unquote, urlsplit

import aiosmtplib

SEND_TIMEOUT_SECONDS = 20.0
_DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
_MAX_ERROR_LENGTH = 300


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def require_starttls(self) -> bool:
        return not self.implicit_tls and self.username is not None and not _is_local(self.host)


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_smtp_url(url: str) -> SmtpConfig:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError("PORTAL_SMTP_URL must look like smtp://user:pass@host:587 or smtps://…")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    return SmtpConfig(
        host=parts.hostname,
        port=parts.port or _DEFAULT_PORTS[scheme],
        implicit_tls=scheme == "smtps",
        username=username,
        password=password,
    )


def _domain_of(mail_from: str) -> str:
    _, address = parseaddr(mail_from)
    _, at, domain = address.rpartition("@")
    return domain if at and domain else "relief.localhost"


def build_message(
    *,
    mail_id: int,
    created_at: datetime,
    mail_from: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    attachment_ics: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    # One Message-ID per outbox row: if a row is ever sent twice (a retry after a lost reply),
    # mail clients see the same message and may fold the two together.
    stamp = int(created_at.timestamp())
    message["Message-ID"] = f"<relief.{mail_id}.{stamp}@{_domain_of(mail_from)}>"
    # RFC 3834: tells out-of-office responders not to answer.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if attachment_ics is not None:
        # Calendar clients read the method from the part's parameters as well as the body.
        method = "CANCEL" if "METHOD:CANCEL" in attachment_ics else "REQUEST"
        message.add_attachment(
            attachment_ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="appointment.ics",
            params={"method": method},
        )
    return message


def open_client(config: SmtpConfig) -> aiosmtplib.SMTP:
    """An unconnected client; `async with` connects (and logs in) and quits."""
    return aiosmtplib.SMTP(
        hostname=config.host,
        port=config.port,
        username=config.username,
        password=config.password,
        use_tls=config.implicit_tls,
        # None: upgrade when offered; True: refuse to go on without it.
        start_tls=False if config.implicit_tls else (True if config.require_starttls else None),
        timeout=SEND_TIMEOUT_SECONDS,
    )


def describe_error(error: BaseException) -> str:
    """A short reason to store on the outbox row.

    Never the exception's message: servers echo the recipient's address in their replies, and
    the address is personal data. The class and the SMTP reply code are enough to act on.
    """
    name = type(error).__name__
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = sorted({str(refused.code) for refused in error.recipients})
        reason = f"the SMTP server refused the recipient ({', '.join(codes)})"
    elif isinstance(error, aiosmtplib.SMTPAuthenticationError):
        reason = f"the SMTP server refused our credentials ({error.code})"
    elif isinstance(error, aiosmtplib.SMTPResponseException):
        reason = f"the SMTP server answered {error.code} ({name})"
    elif isinstance(error, ConnectionError):  # aiosmtplib's connect/disconnect errors too
        reason = f"no connection to the SMTP server ({name})"
    elif isinstance(error, TimeoutError):
        reason = f"the SMTP server did not answer in time ({name})"
    else:
        reason = f"sending failed ({name})"
    return reason[:_MAX_ERROR_LENGTH]
