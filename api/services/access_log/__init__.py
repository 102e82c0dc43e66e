"""Who saw my record: a patient's record-access log, grouped so a person can read it.

Read from `RecordAccess` (one row per record read or changed through the API).

- readers: who may read which patient's log (the patient, a guardian, admins)
- periods: the window of time, checked and bounded
- entries: the grouped entries, a page at a time or all of them (the export)
- grouped_sql: the SQL that groups on SQLite and PostgreSQL, every value bound
- zones: days on the patient's clock across daylight-saving changes
- csv_export: the export as CSV that no spreadsheet runs as formulas
- errors: the window's problems with stable codes

The names callers use are imported here.
"""

from api.services.access_log.csv_export import CSV_HEADER, csv_document, safe_cell
from api.services.access_log.entries import (
    FORMER_USER,
    AccessorRole,
    Entry,
    Grouping,
    all_entries,
    entries_page,
)
from api.services.access_log.errors import AccessLogErrorCode, AccessLogProblems
from api.services.access_log.grouped_sql import ResourceCount
from api.services.access_log.periods import (
    DEFAULT_RANGE_DAYS,
    MAX_RANGE_DAYS,
    Window,
    window,
)
from api.services.access_log.readers import Subject, subject
from api.services.access_log.zones import offset_segments

__all__ = [
    "CSV_HEADER",
    "DEFAULT_RANGE_DAYS",
    "FORMER_USER",
    "MAX_RANGE_DAYS",
    "AccessLogErrorCode",
    "AccessLogProblems",
    "AccessorRole",
    "Entry",
    "Grouping",
    "ResourceCount",
    "Subject",
    "Window",
    "all_entries",
    "csv_document",
    "entries_page",
    "offset_segments",
    "safe_cell",
    "subject",
    "window",
]
