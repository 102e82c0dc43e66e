"""Database ids as clients send them (inside global ids and cursors): digits within BIGINT.

Python's int() also reads " 12", "+12", "1_2" and numbers of any size; a key past 64 bits
cannot exist in a BIGINT column and makes the drivers fail (an INTERNAL error instead of a
plain "not valid"). Every place that turns client text into a key goes through here.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


def parse_id(text: str) -> int | None:
    """The id, or None when the text is not a positive whole number a BIGINT column holds."""
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def is_storable_int(value: int) -> bool:
    """Whether a number can be compared with a BIGINT column (cursor values)."""
    return -MAX_ID - 1 <= value <= MAX_ID
