"""Cheap structural checks that a PDF or video is what its first bytes say.

Not a parser: a PDF must end with its %%EOF marker (within the last KiB, as the format
requires), an MP4/QuickTime file must be a sequence of boxes that tiles the file exactly,
starting with `ftyp`, and a WebM file must open with an EBML header whose DocType is webm.
Reading box headers costs a few seeks, whatever the file's size.
"""

from __future__ import annotations

import os
from typing import IO

_PDF_TAIL = 1024
_MAX_BOXES = 100_000


def _size(source: IO[bytes]) -> int:
    source.seek(0, os.SEEK_END)
    return source.tell()


def pdf_is_whole(source: IO[bytes]) -> bool:
    size = _size(source)
    source.seek(max(0, size - _PDF_TAIL))
    return b"%%EOF" in source.read(_PDF_TAIL)


def iso_boxes_tile(source: IO[bytes]) -> bool:
    """ISO base media (MP4, QuickTime): top-level boxes from offset 0 to exactly the end."""
    size = _size(source)
    offset = 0
    first = True
    for _ in range(_MAX_BOXES):
        if offset == size:
            return not first
        source.seek(offset)
        header = source.read(16)
        if len(header) < 8:
            return False
        box_size = int.from_bytes(header[0:4], "big")
        box_type = header[4:8]
        if first and box_type != b"ftyp":
            return False
        first = False
        if box_size == 1:  # a 64-bit size follows the type
            if len(header) < 16:
                return False
            box_size = int.from_bytes(header[8:16], "big")
            if box_size < 16:
                return False
        elif box_size == 0:  # the box runs to the end of the file
            return True
        elif box_size < 8:
            return False
        offset += box_size
        if offset > size:
            return False
    return False


def _vint(data: bytes, at: int) -> tuple[int, int] | None:
    """An EBML variable-size integer at `at`: (value, length), or None."""
    if at >= len(data) or data[at] == 0:
        return None
    first = data[at]
    length = 8 - first.bit_length() + 1
    if at + length > len(data):
        return None
    value = first & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return value, length


def webm_header(source: IO[bytes]) -> bool:
    source.seek(0)
    head = source.read(256)
    size = _vint(head, 4)
    if size is None:
        return False
    header_size, length = size
    body = head[4 + length : 4 + length + header_size]
    at = 0
    while at + 2 < len(body):  # element id (2 bytes for DocType 0x4282), size, value
        element = body[at : at + 2]
        size = _vint(body, at + 2)
        if size is None:
            return False
        value_size, length = size
        value = body[at + 2 + length : at + 2 + length + value_size]
        if element == b"\x42\x82":
            return value == b"webm"
        if body[at] & 0xC0 != 0x40:
            return False  # header elements have 2-byte ids; anything else is not a header
        at += 2 + length + value_size
    return False
