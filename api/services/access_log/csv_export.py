"""The access log as a CSV document (RFC 4180, a header row) that is safe to open in a sheet.

Names and reasons are typed by people, so any cell a spreadsheet would run as a formula is
quoted with a leading apostrophe (CSV injection, OWASP): one that starts with = + - @, a tab or
a carriage return, also after leading blanks or line breaks (some programs trim those before
they decide).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

from api.services.access_log.entries import Entry
from api.services.access_log.grouped_sql import ResourceCount

CSV_HEADER = (
    "first_access_utc",
    "last_access_utc",
    "day",
    "who",
    "role",
    "acting_for",
    "what",
    "count",
    "grouped_by",
    "emergency_reason",
    "emergency_opened_utc",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    if value.startswith(_FORMULA_STARTS) or value.lstrip().startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_document(entries: Iterable[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for entry in entries:
        cells = (
            _stamp(entry.first_at),
            _stamp(entry.last_at),
            entry.day.isoformat() if entry.day is not None else "",
            entry.who,
            entry.role.value,
            entry.acting_for or "",
            _what(entry.resources),
            str(entry.count),
            entry.grouping.value,
            entry.emergency_reason or "",
            _stamp(entry.emergency_opened_at),
        )
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()


def _what(resources: Iterable[ResourceCount]) -> str:
    return "; ".join(f"{item.resource} {item.action.lower()} x{item.count}" for item in resources)


def _stamp(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")
