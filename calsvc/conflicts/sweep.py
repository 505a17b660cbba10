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

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from calsvc.errors import ValidationError
from calsvc.german import german_date, german_datetime, german_time
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
    "day_conflicts",
    "describe",
    "find_conflicts",
    "overlapping_pairs",
    "people_of",
    "person_conflicts",
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

# An instant on the sweep line is a UTC moment. A zero-length occurrence ends one tick (the
# clock's resolution, 1 µs) after its start, so that it still occupies its start instant and
# nothing else: no other moment lies between the two.
Point = datetime
Span = tuple[Point, Point]
_TICK = timedelta(microseconds=1)


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
    hi = max(end.astimezone(UTC), lo) + buffer
    return lo, (hi if hi > lo else lo + _TICK)


def spans_clash(a: Span, b: Span) -> bool:
    """True when two spans share an instant (the one overlap rule for conflicts and free slots)."""
    return a[0] < b[1] and b[0] < a[1]


def people_of(occ: Occurrence) -> tuple[str, ...]:
    """Everybody expected at an occurrence: its leads and participants, each once."""
    return tuple(dict.fromkeys((*occ.lead_codes, *occ.participant_codes)))


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
    by_person = _by_person(_entries(_bookings(occurrences), buffer))
    return [(code, *pair) for code in sorted(by_person) for pair in _sweep(by_person[code])]


Entry = tuple[Point, Point, str, Occurrence]
"""A booking on the sweep line: its span, its key (keys are unique: occurrences are never compared)."""


def _entries(bookings: Iterable[Occurrence], buffer: timedelta) -> list[Entry]:
    """Bookings in the sweep's order: start, end, key."""
    return sorted([(*span(occ.start, occ.end, buffer), occ.key, occ) for occ in bookings])


def _by_person(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Each person's bookings; every list inherits the sweep order."""
    by_person: dict[str, list[Entry]] = {}
    for entry in entries:
        for code in people_of(entry[3]):
            by_person.setdefault(code, []).append(entry)
    return by_person


def _sweep(booked: list[Entry]) -> list[tuple[Occurrence, Occurrence]]:
    """One person's double bookings (earlier, later) among their sorted bookings.

    Earlier partners come in the sweep's order (start, then key), so every list of them reads
    chronologically. Most bookings overlap nothing: one comparison with the latest end so far
    settles those.
    """
    pairs: list[tuple[Occurrence, Occurrence]] = []
    if len(booked) < 2:
        return pairs
    active: list[Entry] = []  # still running, in sweep order
    reach = booked[0][0]  # the latest end among them
    for entry in booked:
        lo, hi = entry[0], entry[1]
        if reach > lo:
            active = [a for a in active if a[1] > lo]
            if active:  # every pair is work: a pile of overlapping dates must not run unbounded
                spend(len(active))
                occ = entry[3]
                pairs.extend((a[3], occ) for a in active)
            active.append(entry)
            reach = max(reach, hi)
        else:
            active = [entry]
            reach = hi
    return pairs


def find_conflicts(
    occurrences: Iterable[Occurrence],
    *,
    vacancies: Mapping[str, Callable[[date], bool]] | None = None,
    holidays: Mapping[date, str] | None = None,
    closures: Mapping[date, str] | None = None,
    buffer: timedelta = timedelta(0),
) -> list[Conflict]:
    """All conflicts among ``occurrences``, most urgent first within each day.

    The same as every person's :func:`person_conflicts` with the :func:`day_conflicts` of all
    dates, swept in one pass.
    """
    bookings = _bookings(occurrences)
    vacancies = vacancies or {}
    found = _marked(bookings, holidays or {}, closures or {})
    for code, booked in _by_person(_entries(bookings, buffer)).items():
        found.extend(_person_conflicts(code, booked, vacancies.get(code), buffer))
    found.sort(key=_order)
    return found


def person_conflicts(
    code: str,
    occurrences: Iterable[Occurrence],
    *,
    vacancy: Callable[[date], bool] | None = None,
    buffer: timedelta = timedelta(0),
) -> list[Conflict]:
    """The conflicts of one person among ``occurrences`` (all of theirs; others' are ignored), unsorted:
    double bookings, meetings they lead while booked elsewhere, and dates while their post is vacant."""
    booked = [entry for entry in _entries(_bookings(occurrences), buffer) if code in people_of(entry[3])]
    return _person_conflicts(code, booked, vacancy, buffer)


def _person_conflicts(
    code: str, booked: list[Entry], vacancy: Callable[[date], bool] | None, buffer: timedelta
) -> list[Conflict]:
    """:func:`person_conflicts` of their bookings already on the sweep line, in its order."""
    found: list[Conflict] = []
    clashing: dict[str, list[Occurrence]] = {}  # per meeting they lead: it, then what they are booked in
    for earlier, later in _sweep(booked):
        found.append(_overlap(code, earlier, later, buffer))
        for led, other in ((earlier, later), (later, earlier)):
            if code in led.lead_codes:
                clashing.setdefault(led.key, [led]).append(other)
    found.extend(_lead_double_booked(code, led, others) for led, *others in clashing.values())
    if vacancy is not None:
        found.extend(_vacancy_conflict(code, entry[3]) for entry in booked if vacancy(entry[3].first_day))
    return found


def day_conflicts(
    occurrences: Iterable[Occurrence],
    holidays: Mapping[date, str],
    closures: Mapping[date, str],
) -> list[Conflict]:
    """Bookings on a Berlin holiday or a closure day of the office (one per day they touch), unsorted."""
    return _marked(_bookings(occurrences), holidays, closures)


def _marked(bookings: list[Occurrence], holidays: Mapping[date, str], closures: Mapping[date, str]) -> list[Conflict]:
    if not holidays and not closures:
        return []
    return [c for occ in bookings for c in _day_conflicts(occ, holidays, closures)]


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
    occurrences = conflict.occurrences
    first = min((o.start.astimezone(UTC) for o in occurrences), default=None)
    return (
        conflict.day,
        first,
        _RANK[conflict.severity],
        _KIND_RANK[conflict.kind],
        conflict.person or "",
        conflict.message,
        occurrences[0].key if occurrences else "",  # the first and last key tell any two apart: a total order
        occurrences[-1].key if occurrences else "",
    )


def sort_key(conflict: Conflict) -> tuple[Any, ...]:
    """The order of :func:`find_conflicts`, for lists that add conflicts of other kinds."""
    return _order(conflict)


def describe(occ: Occurrence) -> str:
    """``„Titel“ (Di, 23.01.2024, 10:00–11:30)``: how every conflict message names a date."""
    return _when(occ)


def _when(occ: Occurrence) -> str:
    """``„Titel“ (Di, 23.01.2024, 10:00–11:30)``; a date into another day ends ``–24.01.2024, 09:00``."""
    start, end = occ.start, occ.end
    until = german_time(end) if end.date() == start.date() else f"{german_date(end)}, {german_time(end)}"
    return f"„{occ.title}“ ({german_datetime(start)}–{until})"


def _overlap(code: str, earlier: Occurrence, later: Occurrence, buffer: timedelta) -> Conflict:
    real = not buffer or spans_clash(span(earlier.start, earlier.end), span(later.start, later.end))
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


_DAY = timedelta(days=1)


def _day_conflicts(occ: Occurrence, holidays: Mapping[date, str], closures: Mapping[date, str]) -> Iterable[Conflict]:
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


def _vacancy_conflict(code: str, occ: Occurrence) -> Conflict:
    """``code``'s post is vacant on the day of ``occ``: a missing lead, or a vacant participant (a hint)."""
    day = occ.first_day
    when, on = _when(occ), german_date(day)
    if code in occ.lead_codes:
        text = f"Leitung fehlt: {when} wird von {code} geleitet, die Stelle ist am {on} unbesetzt."
        return Conflict("lead_missing", SEVERITY["lead_missing"], day, text, code, (occ,))
    text = f"{code} soll an {when} teilnehmen, die Stelle ist am {on} unbesetzt."
    return Conflict("vacancy", SEVERITY["vacancy"], day, text, code, (occ,))
