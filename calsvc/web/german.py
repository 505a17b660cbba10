"""German date and time formatting for pages (dd.mm.yyyy, Montag, 24-hour clock)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

__all__ = ["MONTHS", "WEEKDAYS", "german_date", "german_datetime", "german_time", "register_filters"]

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
WEEKDAYS_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


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


def register_filters(app: Flask) -> None:
    """Make the formatters available in every template."""
    app.jinja_env.filters.setdefault("de_date", german_date)
    app.jinja_env.filters.setdefault("de_time", german_time)
    app.jinja_env.filters.setdefault("de_datetime", german_datetime)
    app.jinja_env.globals.setdefault("MONTHS", MONTHS)
    app.jinja_env.globals.setdefault("WEEKDAYS", WEEKDAYS)
