"""Free slots: times inside working hours that clash with nobody's bookings (pure core).

Uses the conflict checker's overlap rule (:func:`calsvc.conflicts.sweep.spans_clash`), so a slot
offered here never shows up as an overlap when it is checked as a proposal.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from calsvc.errors import ValidationError
from calsvc.schedule.walltime import localize

from .sweep import Point, span

__all__ = ["WorkHours", "find_free_slots"]


@dataclass(frozen=True, slots=True)
class WorkHours:
    """Office hours in Berlin wall time on the given ISO weekdays (1 = Monday)."""

    start: time = time(8)
    end: time = time(18)
    days: frozenset[int] = frozenset({1, 2, 3, 4, 5})

    @classmethod
    def parse(cls, hours: str = "08:00-18:00", days: str | Iterable[int] = "1,2,3,4,5") -> WorkHours:
        """Read ``CALSVC_WORK_HOURS`` (``08:00-18:00``) and ``CALSVC_WORK_DAYS`` (``1,2,3,4,5``)."""
        try:
            first, _, last = hours.partition("-")
            start, end = time.fromisoformat(first.strip()), time.fromisoformat(last.strip())
        except ValueError:
            raise ValidationError(
                f"Arbeitszeit „{hours}“ ist nicht im Format HH:MM-HH:MM.", field="work_hours"
            ) from None
        if end <= start:
            raise ValidationError("Das Ende der Arbeitszeit muss nach ihrem Beginn liegen.", field="work_hours")
        try:
            numbers = (
                [int(d) for d in days.split(",") if d.strip()] if isinstance(days, str) else [int(d) for d in days]
            )
        except ValueError:
            raise ValidationError(
                f"Arbeitstage „{days}“ sind keine Wochentagsnummern (1–7).", field="work_days"
            ) from None
        if not numbers or any(not 1 <= d <= 7 for d in numbers):
            raise ValidationError("Arbeitstage müssen Zahlen von 1 (Montag) bis 7 (Sonntag) sein.", field="work_days")
        return cls(start, end, frozenset(numbers))


def find_free_slots(
    busy: Iterable[tuple[datetime, datetime]],
    duration: timedelta,
    start: date,
    end: date,
    *,
    work: WorkHours = WorkHours(),
    blocked_days: Container[date] = (),
    step: timedelta = timedelta(minutes=15),
    buffer: timedelta = timedelta(0),
    limit: int | None = None,
) -> list[tuple[datetime, datetime]]:
    """Slots of ``duration`` on work days in ``[start, end)``, stepping by ``step``, earliest first.

    ``busy`` are the (aware) times of everybody who must attend; ``blocked_days`` (holidays,
    closures) get no slots. Slots are aware datetimes in Europe/Berlin.
    """
    if duration <= timedelta(0) or step <= timedelta(0):
        raise ValidationError("Dauer und Schrittweite müssen positiv sein.", field="duration")
    spans = sorted(span(s, e, buffer) for s, e in busy)
    starts = [s for s, _ in spans]
    reach: list[Point] = []  # reach[i]: the latest end among the first i+1 busy spans
    for _, stop in spans:
        reach.append(max(reach[-1], stop) if reach else stop)
    found: list[tuple[datetime, datetime]] = []
    day = start
    while day < end and (limit is None or len(found) < limit):
        if day.isoweekday() in work.days and day not in blocked_days:
            for slot in _day_candidates(day, duration, work, step):
                lo, hi = span(*slot, buffer)
                before = bisect_left(starts, hi)  # busy spans starting before this slot ends
                if before == 0 or reach[before - 1] <= lo:
                    found.append(slot)
                    if limit is not None and len(found) >= limit:
                        break
        day += timedelta(days=1)
    return found


def _day_candidates(
    day: date, duration: timedelta, work: WorkHours, step: timedelta
) -> Iterable[tuple[datetime, datetime]]:
    """Step-aligned slots of one day that fit inside the working hours (wall time).

    Ends are wall times, as the occurrence engine computes them; a wall time in the spring
    gap does not exist, so it offers no slot (it would end before it starts).
    """
    moment = datetime.combine(day, work.start)
    closing = datetime.combine(day, work.end)
    while moment + duration <= closing:
        begin = localize(moment)
        if begin.replace(tzinfo=None) == moment:
            yield begin, localize(moment + duration)
        moment += step
