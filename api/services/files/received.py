"""A file part of a multipart request, as the HTTP layer hands it to the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from api.services.files.sniff import Sniffed


@dataclass(slots=True)
class ReceivedFile:
    """One uploaded file: its claimed name, what its first bytes are, and the bytes.

    `spool` is a named temporary file (deleted on close) holding every byte, or None when the
    first bytes were none of the allowed kinds: such bytes are counted, never kept.
    """

    field_name: str
    filename: str | None
    claimed_media_type: str  # what the client said; only ever logged as absent or present
    head: bytes = b""
    sniffed: Sniffed | None = None
    size: int = 0
    spool: IO[bytes] | None = field(default=None, repr=False)

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None
