"""Plain data a feed is rendered from: frozen dataclasses, no I/O, no ORM.

Local times are *naive wall-clock times* in ``CalendarMeta.timezone`` (Europe/Berlin):
that is how the office thinks about meetings ("every other Tuesday at 10:00"), and it is
what RFC 5545 calls "date with local time and time zone reference" (3.3.5, FORM #3).
Instants that are not wall-clock times (LAST-MODIFIED, CREATED, DTSTAMP) are aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, TypeAlias

__all__ = ["AllDayEvent", "CalendarMeta", "FeedEvent", "Override", "OverrideStatus", "Status", "TimedEvent"]

Status: TypeAlias = Literal["CONFIRMED", "TENTATIVE"]
OverrideStatus: TypeAlias = Literal["CONFIRMED", "TENTATIVE", "CANCELLED"]
"""A single occurrence may be cancelled: it stays visible ("Abgesagt: ...") until its date passed."""


@dataclass(frozen=True, kw_only=True)
class CalendarMeta:
    """What a subscriber sees of the calendar itself (name, refresh hint, zone)."""

    name: str
    description: str = ""
    refresh: timedelta = timedelta(hours=1)
    timezone: str = "Europe/Berlin"
    url: str | None = None
    prodid: str = "-//Integrationsbuero Marzahn-Hellersdorf//calsvc feeds//DE"


@dataclass(frozen=True, kw_only=True)
class Override:
    """One occurrence of a series that was moved, retimed or changed (RECURRENCE-ID).

    ``recurrence_id`` is the local start of the *original* occurrence. ``None`` for
    summary/location/description/status means "as in the series": the library copies
    the master's value, because an override component replaces the instance completely
    (RFC 5545 3.8.4.4) and clients do not inherit from the master.

    ``status="CANCELLED"`` keeps a called-off date visible with its reason instead of an
    EXDATE that makes it vanish silently; the library writes it TRANSP:TRANSPARENT, so it does
    not block anyone's free/busy time (RFC 5545 3.8.2.7).
    """

    recurrence_id: datetime
    start: datetime
    end: datetime
    last_modified: datetime
    sequence: int = 0
    summary: str | None = None
    location: str | None = None
    description: str | None = None
    status: OverrideStatus | None = None


@dataclass(frozen=True, kw_only=True)
class TimedEvent:
    """A meeting with local start/end, optionally a series (RRULE + EXDATE + overrides).

    ``rrule`` is an RFC 5545 RECUR value without ``RRULE:``; its UNTIL may be local
    (``20241231T235959``), a date (``20241231`` = through that local day) or UTC (``...Z``);
    the library writes it in UTC as RFC 5545 3.3.10 requires when DTSTART has a TZID.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    last_modified: datetime
    rrule: str | None = None
    exdates: tuple[datetime, ...] = ()
    overrides: tuple[Override, ...] = ()
    location: str | None = None
    description: str | None = None
    categories: tuple[str, ...] = ()
    sequence: int = 0
    created: datetime | None = None
    status: Status = "CONFIRMED"
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class AllDayEvent:
    """A span of whole days, e.g. a fuzzy activity "II. Quartal 2024" (both days inclusive).

    Written as VALUE=DATE with an exclusive DTEND (RFC 5545 3.6.1) and TRANSP:TRANSPARENT,
    so a quarter-long activity does not block anyone's free/busy time.
    """

    uid: str
    summary: str
    first_day: date
    last_day: date
    last_modified: datetime
    location: str | None = None
    description: str | None = None
    categories: tuple[str, ...] = ()
    sequence: int = 0
    created: datetime | None = None
    status: Status = "CONFIRMED"
    url: str | None = None


FeedEvent: TypeAlias = TimedEvent | AllDayEvent
