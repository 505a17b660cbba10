"""Other iCalendar implementations, wrapped so tests can compare what each one reads.

``expand_*`` return the occurrences whose start lies in ``[start, end)`` as a set of
``(uid, start, end)``: UTC ``YYYY-MM-DDTHH:MM:SSZ`` for timed events, ``YYYY-MM-DD`` for
all-day ones (DTEND exclusive). ``parse_*`` return the VEVENT components as written, in the
same shape. Every function raises :class:`ParserRejected` when its parser reports a problem.

A missing tool (node, ical.js, libical's GObject bindings) skips the test, and fails it when
``CALSVC_STRICT_TESTS=1`` (CI must not pass by skipping).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeAlias

import icalendar
import pytest
import recurring_ical_events
import vobject
from ical.calendar_stream import IcsCalendarStream
from ical.exceptions import CalendarParseError

__all__ = [
    "Occurrence",
    "ParserRejected",
    "expand_icaljs",
    "expand_libical",
    "expand_recurring_ical_events",
    "need",
    "parse_ical_strict",
    "parse_icalendar",
    "parse_vobject",
    "texts_icalendar",
    "texts_icaljs",
    "texts_libical",
]

Occurrence: TypeAlias = tuple[str, str, str]
# One VEVENT's texts as a parser reads them: uid, recurrence_id, properties (every property
# name, in order), summary, location, description (unescaped; None when absent), status and
# transp (None when absent).
EventTexts: TypeAlias = dict[str, Any]
HERE = Path(__file__).resolve().parent
STRICT = os.environ.get("CALSVC_STRICT_TESTS") == "1"
SYSTEM_PYTHON = os.environ.get("CALSVC_SYSTEM_PYTHON", "/usr/bin/python3")
NODE = os.environ.get("CALSVC_NODE") or shutil.which("node") or "node"


class ParserRejected(AssertionError):
    """A parser refused the calendar or reported errors while reading it."""

    def __init__(self, parser: str, errors: list[str]) -> None:
        super().__init__(f"{parser} rejected the calendar: " + "; ".join(errors))
        self.parser = parser
        self.errors = errors


def need(condition: bool, reason: str) -> None:
    """Skip when a tool is missing — but fail under CALSVC_STRICT_TESTS=1."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"required in strict mode (CALSVC_STRICT_TESTS=1): {reason}")
    pytest.skip(reason)


def stamp(value: date | datetime) -> str:
    """The comparable form: ISO date, or UTC date-time with Z (floating times are refused)."""
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:
        raise ParserRejected("normalise", [f"floating time {value} (lost its TZID?)"])
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_icalendar(ics: bytes) -> set[Occurrence]:
    """icalendar, with the parse errors it collects on components turned into a failure."""
    calendar = icalendar.Calendar.from_ical(ics)
    errors = [f"{c.name}: {e}" for c in calendar.walk() for e in c.errors]
    if errors:
        raise ParserRejected("icalendar", errors)
    return {(str(e["UID"]), stamp(e.start), stamp(e.end)) for e in calendar.walk("VEVENT")}


def expand_recurring_ical_events(ics: bytes, start: date, end: date) -> set[Occurrence]:
    """recurring-ical-events (what calsvc's own occurrence engine builds on)."""
    parse_icalendar(ics)
    calendar = icalendar.Calendar.from_ical(ics)
    lo, hi = start.isoformat(), end.isoformat()
    found = set()
    for event in recurring_ical_events.of(calendar).between(start, end):
        row = (str(event["UID"]), stamp(event.start), stamp(event.end))
        if lo <= row[1] < hi:  # between() returns overlaps; compare by start like the others
            found.add(row)
    return found


def parse_vobject(ics: bytes) -> set[Occurrence]:
    """vobject with validation on (it cuts TEXT at unescaped commas, so escaping matters)."""
    try:
        calendar = vobject.readOne(ics.decode("utf-8"), validate=True)
    except Exception as exc:  # vobject raises ParseError, ValidateError and plain ValueError
        raise ParserRejected("vobject", [f"{type(exc).__name__}: {exc}"]) from exc
    return {(e.uid.value, stamp(e.dtstart.value), stamp(e.dtend.value)) for e in getattr(calendar, "vevent_list", [])}


def parse_ical_strict(ics: bytes) -> set[Occurrence]:
    """The strict, pydantic-based ``ical`` package (Home Assistant's calendar parser)."""
    try:
        calendar = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    except CalendarParseError as exc:
        raise ParserRejected("ical", [str(exc), *(str(d) for d in (exc.detailed_error or "").splitlines())]) from exc
    return {(e.uid, stamp(e.dtstart), stamp(e.dtend)) for e in calendar.events}


def expand_icaljs(ics: bytes, start: date, end: date) -> set[Occurrence]:
    """ical.js (Thunderbird) via ``icaljs_expand.mjs``."""
    need(shutil.which(NODE) is not None, "node is not installed (apt-get install nodejs npm)")
    need((HERE / "node_modules" / "ical.js").is_dir(), "ical.js is not installed (cd tests/interop && npm ci)")
    return _run("ical.js", [NODE, str(HERE / "icaljs_expand.mjs")], ics, start, end)


def expand_libical(ics: bytes, start: date, end: date) -> set[Occurrence]:
    """libical (Evolution) via ``libical_expand.py`` under Debian's python3 with GObject bindings."""
    need(_has_libical(), "libical GObject bindings missing (apt-get install libical3 gir1.2-ical-3.0 python3-gi)")
    return _run("libical", [SYSTEM_PYTHON, str(HERE / "libical_expand.py")], ics, start, end)


@functools.cache
def _has_libical() -> bool:
    probe = "import gi; gi.require_version('ICalGLib', '3.0'); from gi.repository import ICalGLib"
    try:
        return subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _run(parser: str, command: list[str], ics: bytes, start: date, end: date) -> set[Occurrence]:
    done = subprocess.run(
        [*command, start.isoformat(), end.isoformat()], input=ics, capture_output=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise ParserRejected(parser, [done.stderr.decode("utf-8", "replace").strip()[-2000:]])
    result: dict[str, Any] = json.loads(done.stdout)
    if result["errors"]:
        raise ParserRejected(parser, result["errors"])
    return {(o["uid"], o["start"], o["end"]) for o in result["occurrences"]}


def texts_icalendar(ics: bytes) -> list[EventTexts]:
    """Each VEVENT's property names and unescaped texts, as icalendar reads them."""
    calendar = icalendar.Calendar.from_ical(ics)
    errors = [f"{c.name}: {e}" for c in calendar.walk() for e in c.errors]
    if errors:
        raise ParserRejected("icalendar", errors)
    events = []
    for event in calendar.walk("VEVENT"):
        rid = event.get("RECURRENCE-ID")
        events.append(
            {
                "uid": str(event["UID"]),
                "recurrence_id": rid.to_ical().decode() if rid is not None else None,
                "properties": [name for name, _ in event.property_items(recursive=False)][1:-1],
                **{key.lower(): (str(event[key]) if key in event else None) for key in _TEXTS},
            }
        )
    return events


def texts_libical(ics: bytes) -> list[EventTexts]:
    """The same, as libical (Evolution) reads them, via ``libical_texts.py``."""
    need(_has_libical(), "libical GObject bindings missing (apt-get install libical3 gir1.2-ical-3.0 python3-gi)")
    return _run_texts("libical", [SYSTEM_PYTHON, str(HERE / "libical_texts.py")], ics)


def texts_icaljs(ics: bytes) -> list[EventTexts]:
    """The same, as ical.js (Thunderbird) reads them, via ``icaljs_texts.mjs``."""
    need(shutil.which(NODE) is not None, "node is not installed (apt-get install nodejs npm)")
    need((HERE / "node_modules" / "ical.js").is_dir(), "ical.js is not installed (cd tests/interop && npm ci)")
    return _run_texts("ical.js", [NODE, str(HERE / "icaljs_texts.mjs")], ics)


_TEXTS = ("SUMMARY", "LOCATION", "DESCRIPTION", "STATUS", "TRANSP")


def _run_texts(parser: str, command: list[str], ics: bytes) -> list[EventTexts]:
    done = subprocess.run(command, input=ics, capture_output=True, timeout=120, check=False, cwd=HERE)
    if done.returncode != 0:
        raise ParserRejected(parser, [done.stderr.decode("utf-8", "replace").strip()[-2000:]])
    result: dict[str, Any] = json.loads(done.stdout)
    if result["errors"]:
        raise ParserRejected(parser, result["errors"])
    events: list[EventTexts] = result["events"]
    return events
