"""Small builders for feed test data (kept out of conftest.py, which belongs to the app tests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from feeds import AllDayEvent, CalendarMeta, TimedEvent, render_calendar

NOW = datetime(2024, 1, 15, 8, 30, tzinfo=UTC)
CHANGED = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)
META = CalendarMeta(name="Integrationsbüro", description="Alle Termine des Büros")


def timed(**changes: Any) -> TimedEvent:
    """A single one-hour meeting on a winter Tuesday, changed as asked."""
    base = TimedEvent(
        uid="meeting-1@test.calsvc",
        summary="Dienstberatung",
        start=datetime(2024, 1, 9, 10, 0),
        end=datetime(2024, 1, 9, 11, 0),
        last_modified=CHANGED,
    )
    return replace(base, **changes)


def all_day(**changes: Any) -> AllDayEvent:
    """The second quarter of 2024 as a fuzzy activity span."""
    base = AllDayEvent(
        uid="activity-1@test.calsvc",
        summary="Aktivität im II. Quartal",
        first_day=date(2024, 4, 1),
        last_day=date(2024, 6, 30),
        last_modified=CHANGED,
    )
    return replace(base, **changes)


def render(*events: TimedEvent | AllDayEvent, meta: CalendarMeta = META) -> bytes:
    return render_calendar(meta, events, now=NOW)


def lines(ics: bytes) -> list[str]:
    """Unfolded content lines."""
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


def vevent_lines(ics: bytes, index: int = 0) -> list[str]:
    """Unfolded lines of the ``index``-th VEVENT."""
    blocks = "\r\n".join(lines(ics)).split("BEGIN:VEVENT\r\n")[1:]
    return blocks[index].split("\r\nEND:VEVENT")[0].split("\r\n")
