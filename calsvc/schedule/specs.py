"""Plain data the occurrence engine works on: series, activities and their occurrences.

These are snapshots of database rows (built by :mod:`calsvc.schedule.store`), so the engine,
the feeds and the benchmarks can run without a database session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from calsvc.fuzzydates import ongoing_end, ongoing_label

if TYPE_CHECKING:
    from calsvc.models.activities import Status

__all__ = [
    "ActivitySpec",
    "AttendanceSpec",
    "ExceptionSpec",
    "ExtraSpec",
    "Occurrence",
    "OccurrenceKind",
    "OccurrenceStatus",
    "PeriodSpec",
    "SeriesSpec",
]

OccurrenceKind = Literal["meeting", "activity"]
OccurrenceStatus = Literal["confirmed", "tentative", "cancelled"]


@dataclass(frozen=True, slots=True)
class ExceptionSpec:
    """One occurrence of a series cancelled or changed; times are naive local."""

    recurrence_id: datetime
    cancelled: bool = False
    new_start: datetime | None = None
    new_duration: timedelta | None = None
    new_location: str | None = None
    note: str = ""
    sequence: int = 0
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AttendanceSpec:
    """A person who is (``present``) or is not at one date of a series only; ``recurrence_id`` naive local."""

    recurrence_id: datetime
    code: str
    present: bool = True


@dataclass(frozen=True, slots=True)
class ExtraSpec:
    """An extra date of a series (its own VEVENT in feeds); ``uid`` set for a person's single dates."""

    id: int
    start: datetime
    duration: timedelta | None = None
    location: str | None = None
    note: str = ""
    sequence: int = 0
    updated_at: datetime | None = None
    uid: str = ""


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    """A meeting series as the engine needs it; ``dtstart`` is naive Berlin wall time.

    ``attendance`` changes the people of single dates. A person's view of a series
    (:func:`calsvc.schedule.attendance.person_view`) leaves out the ``hidden`` dates, or the
    whole rule (``master`` false) when the person comes to single dates only.
    """

    id: int
    title: str
    dtstart: datetime
    duration: timedelta
    rrule: str | None = None
    location: str = ""
    description: str = ""
    status: OccurrenceStatus = "confirmed"
    is_example: bool = False
    sequence: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    gremium_slug: str | None = None
    gremium_name: str | None = None
    lead_codes: tuple[str, ...] = ()
    participant_codes: tuple[str, ...] = ()
    exceptions: tuple[ExceptionSpec, ...] = ()
    extras: tuple[ExtraSpec, ...] = ()
    attendance: tuple[AttendanceSpec, ...] = ()
    hidden: tuple[datetime, ...] = ()
    master: bool = True


@dataclass(frozen=True, slots=True)
class PeriodSpec:
    """One period of an activity; ``end`` inclusive."""

    start: date
    end: date
    precision: str
    focus: bool = False
    label: str = ""


@dataclass(frozen=True, slots=True)
class ActivitySpec:
    """A planned activity with its parsed Terminierung."""

    id: int
    number: int
    title: str
    plan_year: int
    terminierung: str
    periods: tuple[PeriodSpec, ...] = ()
    ongoing: bool = False
    tentative: bool = False
    unscheduled: bool = False
    status: Status = "geplant"
    responsible_codes: tuple[str, ...] = ()
    sequence: int = 0
    updated_at: datetime | None = None
    label: str = ""
    closed_on: date | None = None  # day of the note that marked it erledigt/entfallen
    carried_from_year: int | None = None  # taken over from an earlier plan into this one

    def published_periods(self) -> tuple[PeriodSpec, ...]:
        """The periods shown as spans: the main ones, or the focus ones when there are no others.

        An ongoing ("fortlaufend") activity reaches from its last named period on until it is
        done, else to its plan year's end (:func:`calsvc.fuzzydates.ongoing_end`).
        """
        main = tuple(p for p in self.periods if not p.focus)
        shown = main or self.periods
        if self.ongoing and shown:
            last = max(shown, key=lambda p: p.end)
            closed = self.status in ("erledigt", "entfallen")
            end = ongoing_end(last.end, self.plan_year, self.closed_on, closed=closed)
            if end != last.end:
                longer = PeriodSpec(
                    last.start, end, last.precision, last.focus, ongoing_label(last.label or self.label)
                )
                shown = tuple(longer if p is last else p for p in shown)
        if self.carried_from_year is not None:
            shown = self._within_plan_year(shown)
        return shown

    def _within_plan_year(self, periods: tuple[PeriodSpec, ...]) -> tuple[PeriodSpec, ...]:
        """A carried-over copy shows from its plan year on: the earlier plan's row shows the time before."""
        first = date(self.plan_year, 1, 1)
        return tuple(
            p if p.start >= first else PeriodSpec(first, p.end, p.precision, p.focus, p.label or self.label)
            for p in periods
            if p.end >= first
        )


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One concrete meeting or activity span; ``start``/``end`` are aware (Europe/Berlin).

    All-day spans start at local midnight of the first day and end at midnight after the last
    day (exclusive), like RFC 5545 ``DTEND;VALUE=DATE``.
    """

    key: str
    uid: str
    kind: OccurrenceKind
    source_id: int
    title: str
    start: datetime
    end: datetime
    all_day: bool = False
    recurrence_id: datetime | None = None
    location: str = ""
    gremium_slug: str | None = None
    gremium_name: str | None = None
    lead_codes: tuple[str, ...] = ()
    participant_codes: tuple[str, ...] = ()
    status: OccurrenceStatus = "confirmed"
    moved: bool = False
    is_example: bool = False
    note: str = ""
    label: str = ""
    extra: bool = False

    @property
    def first_day(self) -> date:
        """The local day the occurrence starts on."""
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last local day it covers (inclusive)."""
        if self.all_day or (self.end.time() == datetime.min.time() and self.end > self.start):
            return (self.end - timedelta(days=1)).date()
        return self.end.date()

    @property
    def cancelled(self) -> bool:
        """True for a cancelled occurrence (kept so the agenda can show it struck through)."""
        return self.status == "cancelled"
