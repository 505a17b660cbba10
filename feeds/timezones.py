"""VTIMEZONE definitions in the classic two-rule form that Outlook reads reliably.

icalendar's ``add_missing_timezones()`` writes one RDATE per historical transition (a hundred
values per observance, valid only 1970-2037); Outlook and older clients handle the compact
form best: one STANDARD and one DAYLIGHT observance with a yearly RRULE (RFC 5545 3.6.5,
"The recurrence rule ... defines the onset of the observance"). This is the definition
libical emits for Europe/Berlin, minus its X-LIC-LOCATION (dateutil's tzical rejects it).
It is exact from 1996 (EU rules) on; feeds never carry events that old.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone

from .errors import UnsupportedTimezone

__all__ = ["VTIMEZONES", "is_nonexistent", "vtimezone", "zone"]

VTIMEZONES: dict[str, str] = {
    "Europe/Berlin": "\r\n".join(
        [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Berlin",
            "BEGIN:DAYLIGHT",
            "TZNAME:CEST",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "TZNAME:CET",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "DTSTART:19701025T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "END:STANDARD",
            "END:VTIMEZONE",
            "",
        ]
    ),
}


def vtimezone(tzid: str) -> Timezone:
    """A fresh VTIMEZONE component for ``tzid``; raises for zones without a classic form."""
    try:
        text = VTIMEZONES[tzid]
    except KeyError:
        raise UnsupportedTimezone(
            f"no classic VTIMEZONE for {tzid!r}; supported: {', '.join(sorted(VTIMEZONES))}",
            field="timezone",
        ) from None
    component = Timezone.from_ical(text)
    if not isinstance(component, Timezone):  # the table holds one VTIMEZONE per zone
        raise UnsupportedTimezone(f"the VTIMEZONE text of {tzid!r} is not one VTIMEZONE", field="timezone")
    return component


@lru_cache(maxsize=8)
def zone(tzid: str) -> ZoneInfo:
    """The tz database zone for ``tzid``, after checking the library can publish it (once per zone)."""
    vtimezone(tzid)
    return ZoneInfo(tzid)


def is_nonexistent(local: datetime, tz: ZoneInfo) -> bool:
    """True for a wall time skipped by a DST change (e.g. 2024-03-31 02:30 in Berlin).

    RFC 5545 3.3.5 gives such times a meaning, but clients implement it differently.
    """
    wall = local.replace(tzinfo=None)
    return wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall
