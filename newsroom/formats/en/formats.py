"""Dates and times as the newsroom writes them: 6 Dec 2026, 13:05 (in the editor's time zone)."""

DATE_FORMAT = SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
