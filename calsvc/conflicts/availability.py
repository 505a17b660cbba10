"""Times a person cannot come — absences and outside appointments — and the conflicts they make (pure).

The service loads them from the database (absences in Berlin wall time, busy intervals of
outside calendars) as :class:`Away` items; here a meeting that overlaps one of them becomes a
conflict of kind ``absence`` or ``busy``. Others only learn "abwesend" or "anderer Termin":
the kind of absence and the outside appointment's details never enter a conflict.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from calsvc.schedule.specs import Occurrence

from .sweep import SEVERITY, Conflict, Span, describe, people_of, span, spans_clash

__all__ = ["Away", "AwayReason", "away_conflicts", "busy_times"]

AwayReason = Literal["absence", "busy"]


@dataclass(frozen=True, slots=True)
class Away:
    """``person`` is unavailable in ``[start, end)`` (aware datetimes)."""

    person: str
    start: datetime
    end: datetime
    reason: AwayReason


def away_conflicts(
    occurrences: Iterable[Occurrence], away: Sequence[Away], *, buffer: timedelta = timedelta(0)
) -> list[Conflict]:
    """One conflict per meeting, person and reason when that person is away during the meeting."""
    if not away:
        return []
    by_person: dict[str, list[tuple[Span, AwayReason]]] = {}
    for item in away:
        by_person.setdefault(item.person, []).append((span(item.start, item.end), item.reason))
    index = {code: _Index(sorted(items)) for code, items in by_person.items()}
    found: list[Conflict] = []
    seen: set[tuple[str, str, str]] = set()
    for occ in occurrences:
        if occ.all_day or occ.cancelled:
            continue
        booked = span(occ.start, occ.end, buffer)
        for code in people_of(occ):
            person_index = index.get(code)
            if person_index is None:
                continue
            for reason in person_index.reasons_during(booked):
                if (occ.key, code, reason) not in seen:
                    seen.add((occ.key, code, reason))
                    found.append(_conflict(occ, code, reason))
    return found


class _Index:
    """One person's away spans sorted by start, with the latest end so far (for bisection)."""

    def __init__(self, items: list[tuple[Span, AwayReason]]) -> None:
        self.items = items
        self.starts = [sp[0] for sp, _ in items]

    def reasons_during(self, booked: Span) -> list[AwayReason]:
        """The reasons of every away span that shares an instant with ``booked``."""
        stop = bisect_left(self.starts, booked[1])
        reasons: list[AwayReason] = []
        for sp, reason in self.items[:stop]:
            if spans_clash(sp, booked) and reason not in reasons:
                reasons.append(reason)
        return reasons


def _conflict(occ: Occurrence, code: str, reason: AwayReason) -> Conflict:
    lead = code in occ.lead_codes
    if reason == "absence":
        text = f"{code} ist abwesend während {describe(occ)}" + (" – und leitet den Termin." if lead else ".")
    else:
        text = f"{code} hat laut eigenem Kalender zur selben Zeit einen anderen Termin: {describe(occ)}."
    severity = "critical" if lead and reason == "absence" else SEVERITY[reason]
    return Conflict(reason, severity, occ.first_day, text, code, (occ,))


def busy_times(away: Iterable[Away], codes: set[str]) -> list[tuple[datetime, datetime]]:
    """The away times of ``codes`` as plain busy intervals (for the free-slot finder)."""
    return [(a.start, a.end) for a in away if a.person in codes]
