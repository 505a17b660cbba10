"""German calendar words and date formats, in one place: months, weekdays, quarter numerals.

Pages, reports and the fuzzy-date parser all read these names from here (pure; no I/O).
"""

from __future__ import annotations

from datetime import date, datetime

__all__ = [
    "MONTHS",
    "ROMAN_QUARTERS",
    "WEEKDAYS",
    "WEEKDAYS_SHORT",
    "german_date",
    "german_datetime",
    "german_time",
]

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
WEEKDAYS_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
ROMAN_QUARTERS = ("I", "II", "III", "IV")


def german_date(value: date | datetime, weekday: bool = False) -> str:
    """``18.03.2024`` or, with ``weekday``, ``Montag, 18.03.2024``."""
    text = f"{value:%d.%m.%Y}"
    return f"{WEEKDAYS[value.weekday()]}, {text}" if weekday else text


def german_time(value: datetime) -> str:
    """``09:30`` (24-hour clock)."""
    return f"{value:%H:%M}"


def german_datetime(value: datetime) -> str:
    """``Di, 14.05.2024, 10:00``."""
    return f"{WEEKDAYS_SHORT[value.weekday()]}, {value:%d.%m.%Y}, {value:%H:%M}"
