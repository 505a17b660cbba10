"""Conflicts in a set of occurrences: double bookings, holidays, closures, vacancies, missing leads.

Pure core (no Flask, no database): the service layer loads occurrences from THE engine
(:mod:`calsvc.schedule.engine`) and passes them in with plain holiday/closure/vacancy data.
Overlaps are found per person by sorting and sweeping (O(n log n + k)), never all pairs.

Time semantics, shared with the free-slot finder: occurrences are compared as real instants
(UTC), half-open ``[start, end)``; back-to-back is no overlap unless the gap is shorter than
``buffer``; a zero-length occurrence occupies its start instant; all-day activities are
context, not bookings, and cancelled occurrences are ignored.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from calsvc.errors import ValidationError
from calsvc.schedule.budget import spend
from calsvc.schedule.specs import Occurrence

__all__ = [
    "KIND_LABELS",
    "SEVERITY_LABELS",
    "Conflict",
    "Vacancy",
    "agenda_path",
    "at_least",
    "count_by_kind",
    "describe",
    "find_conflicts",
    "overlapping_pairs",
    "people_of",
    "sort_key",
    "span",
    "spans_clash",
]

KIND_LABELS = {
    "overlap": "Überschneidung",
    "holiday": "Feiertag",
    "closure": "Schließtag",
    "vacancy": "Unbesetzte Stelle",
    "lead_missing": "Leitung fehlt",
    "absence": "Abwesend",
    "busy": "Anderer Termin",
}
SEVERITY_LABELS = {"info": "Hinweis", "warning": "Warnung", "critical": "Kritisch"}
SEVERITY = {
    "overlap": "warning",
    "holiday": "warning",
    "closure": "warning",
    "vacancy": "info",
    "lead_missing": "critical",
    "absence": "warning",
    "busy": "warning",
}
_RANK = {"critical": 0, "warning": 1, "info": 2}
_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")

# An instant on the sweep line: (moment, 0) is the moment itself; (moment, 1) is "just after"
# it, the end of a zero-length occurrence, so that it still occupies its start instant.
Point = tuple[datetime, int]
Span = tuple[Point, Point]


@dataclass(frozen=True, slots=True)
class Conflict:
    """One problem a planner should see, explained in German, with the occurrences involved."""

    kind: str
    severity: str
    day: date
    message: str
    person: str | None = None
    occurrences: tuple[Occurrence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The conflict as JSON-ready data (API, CLI ``--json``)."""
        return {
            "kind": self.kind,
            "kind_label": KIND_LABELS[self.kind],
            "severity": self.severity,
            "day": self.day.isoformat(),
            "person": self.person,
            "message": self.message,
            "occurrences": [
                {
                    "key": o.key,
                    "uid": o.uid,
                    "kind": o.kind,
                    "title": o.title,
                    "start": o.start.isoformat(),
                    "end": o.end.isoformat(),
                    "all_day": o.all_day,
                    "gremium": o.gremium_slug,
                    "gremium_name": o.gremium_name,
                    "status": o.status,
                    "location": o.location,
                    "is_example": o.is_example,
                }
                for o in self.occurrences
            ],
        }


@dataclass(frozen=True, slots=True)
class Vacancy:
    """A post unfilled from ``start`` to ``end`` (inclusive; ``None`` = open end), as plain data."""

    start: date | None = None
    end: date | None = None

    def __call__(self, day: date) -> bool:
        """True when the post is vacant on ``day``."""
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def span(start: datetime, end: datetime, buffer: timedelta = timedelta(0)) -> Span:
    """The sweep-line span of ``[start, end)`` widened by ``buffer``; an end before start is zero-length."""
    lo = start.astimezone(UTC)
    hi = end.astimezone(UTC)
    if hi < lo:
        hi = lo
    if buffer:
        hi += buffer
    return (lo, 0), ((hi, 0) if hi > lo else (lo, 1))


def spans_clash(a: Span, b: Span) -> bool:
    """True when two spans share an instant (the one overlap rule for conflicts and free slots)."""
    return a[0] < b[1] and b[0] < a[1]


def people_of(occ: Occurrence) -> tuple[str, ...]:
    """Everybody expected at an occurrence: its leads and participants, each once."""
    return _people(occ.lead_codes, occ.participant_codes)


@lru_cache(maxsize=4096)
def _people(leads: tuple[str, ...], participants: tuple[str, ...]) -> tuple[str, ...]:
    """All occurrences of a series share these tuples: merge them once, not per occurrence."""
    return tuple(dict.fromkeys((*leads, *participants)))


def _bookings(occurrences: Iterable[Occurrence]) -> list[Occurrence]:
    """Timed, not cancelled occurrences, each key once (first wins)."""
    unique: dict[str, Occurrence] = {}
    for occ in occurrences:
        if not occ.all_day and not occ.cancelled:
            unique.setdefault(occ.key, occ)
    return list(unique.values())


def overlapping_pairs(
    occurrences: Iterable[Occurrence], *, buffer: timedelta = timedelta(0)
) -> list[tuple[str, Occurrence, Occurrence]]:
    """Every (person, earlier, later) double booking, each pair once per person, by a sweep."""
    return _pairs(_bookings(occurrences), buffer)


def _sweep_order(item: tuple[Span, Occurrence]) -> tuple[Point, str]:
    return item[0][0], item[1].key


def _pairs(bookings: list[Occurrence], buffer: timedelta) -> list[tuple[str, Occurrence, Occurrence]]:
    """:func:`overlapping_pairs` of deduplicated bookings: sorted once, then split per person."""
    entries = sorted(((span(occ.start, occ.end, buffer), occ) for occ in bookings), key=_sweep_order)
    by_person: dict[str, list[tuple[Span, Occurrence]]] = {}
    for entry in entries:  # each person's list inherits the sweep order (keys are unique)
        for code in people_of(entry[1]):
            by_person.setdefault(code, []).append(entry)
    pairs: list[tuple[str, Occurrence, Occurrence]] = []
    for code in sorted(by_person):
        booked = by_person[code]
        active: list[tuple[Point, int, Occurrence]] = []  # min-heap on the span's end
        for order, (sp, occ) in enumerate(booked):
            while active and active[0][0] <= sp[0]:
                heapq.heappop(active)
            if active:  # every pair is work: a pile of overlapping dates must not run unbounded
                spend(len(active))
                pairs.extend((code, earlier, occ) for _, _, earlier in active)
            heapq.heappush(active, (sp[1], order, occ))
    return pairs


def find_conflicts(
    occurrences: Iterable[Occurrence],
    *,
    vacancies: Mapping[str, Callable[[date], bool]] | None = None,
    holidays: Mapping[date, str] | None = None,
    closures: Mapping[date, str] | None = None,
    buffer: timedelta = timedelta(0),
) -> list[Conflict]:
    """All conflicts among ``occurrences``, most urgent first within each day."""
    bookings = _bookings(occurrences)
    found: list[Conflict] = []
    clashing: dict[tuple[str, str], list[Occurrence]] = {}
    for code, earlier, later in _pairs(bookings, buffer):
        found.append(_overlap(code, earlier, later))
        for led, other in ((earlier, later), (later, earlier)):
            if code in led.lead_codes:
                clashing.setdefault((led.key, code), [led]).append(other)
    for (_, code), (led, *others) in clashing.items():
        found.append(_lead_double_booked(code, led, others))
    holidays, closures, vacancies = holidays or {}, closures or {}, vacancies or {}
    for occ in bookings:
        if (holidays or closures) and _on_marked_day(occ, holidays, closures):
            found.extend(_day_conflicts(occ, holidays, closures))
        if vacancies and not vacancies.keys().isdisjoint(people_of(occ)):
            found.extend(_vacancy_conflicts(occ, vacancies))
    found.sort(key=_order)
    return found


def agenda_path(day: date) -> str:
    """Where a planner sees the day: the month's agenda page, scrolled to ``#tag-<yyyy-mm-dd>``."""
    return f"/agenda/{day:%Y}/{day:%m}#tag-{day:%Y-%m-%d}"


def at_least(conflicts: Iterable[Conflict], severity: str | None) -> list[Conflict]:
    """Only conflicts of ``severity`` or worse (``None`` keeps all), e.g. to hide the vacancy hints."""
    if severity is None:
        return list(conflicts)
    if severity not in _RANK:
        raise ValidationError(f"Schwere „{severity}“ gibt es nicht (info, warning, critical).", field="severity")
    return [c for c in conflicts if _RANK[c.severity] <= _RANK[severity]]


def count_by_kind(conflicts: Iterable[Conflict]) -> dict[str, int]:
    """How many conflicts of each kind (kinds in their fixed order, zeros left out)."""
    counts = Counter(c.kind for c in conflicts)
    return {kind: counts[kind] for kind in KIND_LABELS if counts[kind]}


_KIND_RANK = {kind: index for index, kind in enumerate(KIND_LABELS)}


def _order(conflict: Conflict) -> tuple[Any, ...]:
    first = min((o.start.astimezone(UTC) for o in conflict.occurrences), default=None)
    return (
        conflict.day,
        first,
        _RANK[conflict.severity],
        _KIND_RANK[conflict.kind],
        conflict.person or "",
        conflict.message,
    )


def sort_key(conflict: Conflict) -> tuple[Any, ...]:
    """The order of :func:`find_conflicts`, for lists that add conflicts of other kinds."""
    return _order(conflict)


def describe(occ: Occurrence) -> str:
    """``„Titel“ (Di, 23.01.2024, 10:00–11:30)``: how every conflict message names a date."""
    return _when(occ)


def _when(occ: Occurrence) -> str:
    """``„Titel“ (Di, 23.01.2024, 10:00–11:30)`` for messages."""
    start, end = occ.start, occ.end
    until = f"{end.hour:02d}:{end.minute:02d}" if end.date() == start.date() else _day_time(end)
    return f"„{occ.title}“ ({_WEEKDAYS[start.weekday()]}, {_day_time(start)}–{until})"


def _day_time(moment: datetime) -> str:
    """``23.01.2024, 10:00`` as strftime writes it, at a third of its cost (one per message)."""
    if moment.year < 1000:
        return f"{moment:%d.%m.%Y, %H:%M}"
    return f"{moment.day:02d}.{moment.month:02d}.{moment.year}, {moment.hour:02d}:{moment.minute:02d}"


def _overlap(code: str, earlier: Occurrence, later: Occurrence) -> Conflict:
    real = spans_clash(span(earlier.start, earlier.end), span(later.start, later.end))
    how = "überschneidet sich mit" if real else "liegt ohne ausreichenden Puffer direkt vor"
    return Conflict(
        kind="overlap",
        severity=SEVERITY["overlap"],
        day=max(earlier.first_day, later.first_day),
        message=f"{code} ist doppelt gebucht: {_when(earlier)} {how} {_when(later)}.",
        person=code,
        occurrences=(earlier, later),
    )


def _lead_double_booked(code: str, led: Occurrence, others: list[Occurrence]) -> Conflict:
    where = " und ".join(_when(o) for o in others)
    return Conflict(
        kind="lead_missing",
        severity=SEVERITY["lead_missing"],
        day=led.first_day,
        message=f"Leitung fehlt: {code} leitet {_when(led)}, ist zur selben Zeit aber in {where} gebucht.",
        person=code,
        occurrences=(led, *others),
    )


def _on_marked_day(occ: Occurrence, holidays: Mapping[date, str], closures: Mapping[date, str]) -> bool:
    """Whether any day of ``occ`` is a holiday or closure day (most are not: checked without a generator)."""
    day = occ.start.date()
    if occ.end.date() == day or occ.end - occ.start < _DAY:
        return day in holidays or day in closures or occ.last_day in holidays or occ.last_day in closures
    return True


_DAY = timedelta(days=1)


def _day_conflicts(occ: Occurrence, holidays: Mapping[date, str], closures: Mapping[date, str]) -> Iterable[Conflict]:
    if not holidays and not closures:
        return
    day, last = occ.first_day, occ.last_day
    while day <= last:
        if day in holidays:
            text = f"{_when(occ)} fällt auf einen gesetzlichen Feiertag in Berlin: {holidays[day]}."
            yield Conflict("holiday", SEVERITY["holiday"], day, text, None, (occ,))
        if day in closures:
            reason = f": {closures[day]}" if closures[day] else ""
            text = f"{_when(occ)} fällt auf einen Schließtag des Büros{reason}."
            yield Conflict("closure", SEVERITY["closure"], day, text, None, (occ,))
        day += timedelta(days=1)


def _vacancy_conflicts(occ: Occurrence, vacancies: Mapping[str, Callable[[date], bool]]) -> Iterable[Conflict]:
    day = occ.first_day
    for code in people_of(occ):
        vacant = vacancies.get(code)
        if vacant is None or not vacant(day):
            continue
        if code in occ.lead_codes:
            text = f"Leitung fehlt: {_when(occ)} wird von {code} geleitet, die Stelle ist am {day:%d.%m.%Y} unbesetzt."
            yield Conflict("lead_missing", SEVERITY["lead_missing"], day, text, code, (occ,))
        else:
            text = f"{code} soll an {_when(occ)} teilnehmen, die Stelle ist am {day:%d.%m.%Y} unbesetzt."
            yield Conflict("vacancy", SEVERITY["vacancy"], day, text, code, (occ,))
