"""What a file is, from its first bytes only (the client's name and media type are ignored).

Allowed: documents (PDF, JPEG, PNG) and videos (MP4, QuickTime, WebM). Everything else is
refused, including other ISO base media files (HEIC images, M4A audio) whose `ftyp` brand is
not a video one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from api.models.files import FileKind

HEAD_BYTES = 16  # enough for every signature below (the ftyp brand ends at offset 12)
NAME_MAX = 200


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: FileKind
    media_type: str


PDF = Sniffed(FileKind.DOCUMENT, "application/pdf")
JPEG = Sniffed(FileKind.DOCUMENT, "image/jpeg")
PNG = Sniffed(FileKind.DOCUMENT, "image/png")
MP4 = Sniffed(FileKind.VIDEO, "video/mp4")
QUICKTIME = Sniffed(FileKind.VIDEO, "video/quicktime")
WEBM = Sniffed(FileKind.VIDEO, "video/webm")

_MP4_BRANDS = frozenset(
    {
        b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"mp4v",
        b"avc1", b"M4V ", b"M4VH", b"M4VP", b"MSNV", b"dash", b"mmp4", b"NDAS",
    }
)  # fmt: skip
_QUICKTIME_BRANDS = frozenset({b"qt  "})

# MP4 and QuickTime are one container family: cameras write either under either extension.
_ISO_VIDEO = frozenset({".mp4", ".m4v", ".mov", ".qt"})
EXTENSIONS: dict[str, frozenset[str]] = {
    PDF.media_type: frozenset({".pdf"}),
    JPEG.media_type: frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    PNG.media_type: frozenset({".png"}),
    MP4.media_type: _ISO_VIDEO,
    QUICKTIME.media_type: _ISO_VIDEO,
    WEBM.media_type: frozenset({".webm"}),
}


def sniff(head: bytes) -> Sniffed | None:
    """The kind and media type the first bytes announce, or None for anything not allowed."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _MP4_BRANDS:
            return MP4
        if brand in _QUICKTIME_BRANDS:
            return QUICKTIME
    return None


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def name_agrees(name: str, sniffed: Sniffed) -> bool:
    """False when the name's extension says another type than the bytes (no extension is fine)."""
    suffix = extension(name)
    return not suffix or suffix in EXTENSIONS[sniffed.media_type]


def clean_name(raw: str | None) -> str:
    """The uploader's name without path parts or control characters, at most 200 characters,
    keeping the extension when it has to shorten."""
    text = unicodedata.normalize("NFC", raw or "")
    text = PureWindowsPath(PurePosixPath(text.replace("\\", "/")).name).name
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(text) > NAME_MAX:
        suffix = extension(text)[:16]
        text = text[: NAME_MAX - len(suffix)] + suffix
    return text or "file"
