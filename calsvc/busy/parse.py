"""An outside calendar as busy intervals, nothing else (pure: bytes in, UTC intervals out).

Read with icalendar and expanded with recurring-ical-events over a bounded window, so RRULE,
EXDATE and RECURRENCE-ID overrides count as the calendar's owner sees them. Outlook and
Exchange write Windows time-zone names (``TZID=W. Europe Standard Time``), which icalendar
maps to their IANA zones. Not busy: ``TRANSP:TRANSPARENT``, ``STATUS:CANCELLED`` and
``X-MICROSOFT-CDO-BUSYSTATUS:FREE``; ``VFREEBUSY`` periods count unless ``FBTYPE=FREE``.
All-day items are busy for their Berlin days. Titles, places and attendees are never read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import icalendar
import recurring_ical_events

from calsvc.errors import CalsvcError
from calsvc.schedule.walltime import BERLIN

__all__ = ["MAX_EVENTS", "BusyParseError", "Interval", "busy_intervals", "merge"]

Interval = tuple[datetime, datetime]
MAX_EVENTS = 20_000
"""Occurrences looked at per calendar at most: a few years of a busy person's appointments."""


class BusyParseError(CalsvcError):
    """The file is no calendar calsvc can read, or asks for too much work; ``message`` says which."""

    code = "bad_calendar"
    http_status = 422


def busy_intervals(data: bytes, lo: datetime, hi: datetime, *, max_events: int = MAX_EVENTS) -> list[Interval]:
    """Merged busy times in ``[lo, hi)`` (aware, UTC) of the calendar in ``data``."""
    calendar = _read(data)
    _refuse_dense_rules(calendar)
    found = list(_freebusy(calendar, lo, hi))
    try:
        found += _events(calendar, lo, hi, max_events)
    except BusyParseError:
        raise
    except Exception as exc:  # recurring-ical-events raises its own errors and ValueErrors for broken rules
        raise BusyParseError(
            f"Die Kalenderdatei ist fehlerhaft: Termine lassen sich nicht lesen ({_short(exc)})."
        ) from None
    return merge(found)


def _read(data: bytes) -> Any:
    if not data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise BusyParseError("Die Datei ist kein iCalendar-Kalender (BEGIN:VCALENDAR fehlt).")
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # icalendar raises ValueError and friends for broken lines
        raise BusyParseError(f"Die Kalenderdatei ist fehlerhaft ({_short(exc)}).") from None
    if not calendars:
        raise BusyParseError("Die Datei enthält keinen Kalender.")
    return calendars[0]


def _refuse_dense_rules(calendar: Any) -> None:
    """Rules by the second or minute make thousands of dates per day before any budget can count them."""
    for event in calendar.walk("VEVENT"):
        rules = event.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            if str((rule.get("FREQ") or [""])[0]).upper() in ("SECONDLY", "MINUTELY"):
                raise BusyParseError(
                    "Termine, die sich im Sekunden- oder Minutentakt wiederholen, werden nicht gelesen."
                )


def _events(calendar: Any, lo: datetime, hi: datetime, max_events: int) -> list[Interval]:
    found: list[Interval] = []
    for seen, event in enumerate(recurring_ical_events.of(calendar, components=["VEVENT"]).after(lo)):
        if seen >= max_events:
            raise BusyParseError(f"Der Kalender hat mehr als {max_events} Termine im abgeglichenen Zeitraum.")
        start, end = _moment(event.get("DTSTART").dt), _end(event)
        if start >= hi:
            break
        if _busy(event) and end > lo:
            found.append((max(start, lo), min(end, hi)))
    return found


def _busy(event: Any) -> bool:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    return str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() != "FREE"


def _end(event: Any) -> datetime:
    start = event.get("DTSTART").dt
    if event.get("DTEND") is not None:
        return _moment(event.get("DTEND").dt)
    if event.get("DURATION") is not None:
        return _moment(start) + event.get("DURATION").dt
    return _moment(start + timedelta(days=1)) if not isinstance(start, datetime) else _moment(start)


def _moment(value: date | datetime) -> datetime:
    """A DATE is Berlin midnight; a floating DATE-TIME is Berlin wall time; everything ends up in UTC."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=BERLIN)
    return value.astimezone(UTC)


def _freebusy(calendar: Any, lo: datetime, hi: datetime) -> Iterator[Interval]:
    for component in calendar.walk("VFREEBUSY"):
        periods = component.get("FREEBUSY", [])
        for period in periods if isinstance(periods, list) else [periods]:
            if str(period.params.get("FBTYPE", "BUSY")).upper() == "FREE":
                continue
            first, second = period.dt
            start = _moment(first)
            end = start + second if isinstance(second, timedelta) else _moment(second)
            if end > lo and start < hi:
                yield max(start, lo), min(end, hi)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals as one, sorted; empty ones dropped."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0][:200]
