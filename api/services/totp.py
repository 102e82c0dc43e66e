"""Time-based one-time passwords (RFC 6238): enrolment and replay-proof code checks.

Six digits, SHA-1, 30-second steps: the parameters every authenticator app supports. A code of
the previous or next step is also accepted, for clocks a little off and codes typed as they
roll over. pyotp does not prevent replay, so check_code reports the step a code matched; the
caller stores it (User.totp_last_step) and passes it back, and a code of that step or an
earlier one is refused: each code works once, and never after a later one was used.
"""

from __future__ import annotations

import hmac
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
import segno

ISSUER = "Relief"
SECRET_LENGTH = 32  # base32 characters: 160 bits, the HMAC-SHA1 key size RFC 4226 recommends
VALID_WINDOW = 1  # steps either side of the current one
QR_TITLE = "QR code to add Relief to your authenticator app"

_SEPARATORS = re.compile(r"[\s\-]+")
_CODE = re.compile(r"[0-9]{6}")  # ASCII only: str.isdigit() would also take "١٢٣٤٥٦"


@dataclass(frozen=True)
class Enrollment:
    secret: str  # base32; store it encrypted (secrets_box), never show it again after setup
    otpauth_uri: str
    qr_svg: str


@dataclass(frozen=True)
class TotpCheck:
    accepted: bool
    step: int | None  # the time step the code matched: store it to refuse replays


def new_enrollment(account_email: str) -> Enrollment:
    secret = pyotp.random_base32(SECRET_LENGTH)
    uri = pyotp.TOTP(secret).provisioning_uri(name=account_email, issuer_name=ISSUER)
    return Enrollment(secret=secret, otpauth_uri=uri, qr_svg=_qr_svg(uri))


def check_code(
    secret: str, code: str, *, last_accepted_step: int | None, now: datetime | None = None
) -> TotpCheck:
    """Whether ``code`` is valid now and not a replay; ``now`` must be timezone-aware."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        # pyotp would read a naive datetime as local time: an hour off is two codes off.
        raise ValueError("now must be timezone-aware")
    candidate = _SEPARATORS.sub("", code)
    if not _CODE.fullmatch(candidate):
        return TotpCheck(accepted=False, step=None)
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if last_accepted_step is not None and step <= last_accepted_step:
            continue
        if hmac.compare_digest(totp.at(now, counter_offset=offset), candidate):
            return TotpCheck(accepted=True, step=step)
    return TotpCheck(accepted=False, step=None)


def _qr_svg(uri: str) -> str:
    out = io.BytesIO()
    # No width/height, only a viewBox: the page sizes it. A white background, not transparent,
    # so that a dark theme does not hide the code from the camera. The namespace stays so the
    # same text works inline and as an <img> source; the <title> is its accessible name.
    segno.make(uri, error="m").save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        omitsize=True,
        title=QR_TITLE,
        light="#fff",
        dark="#000",
        nl=False,
    )
    return out.getvalue().decode("utf-8")
