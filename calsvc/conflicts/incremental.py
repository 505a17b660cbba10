"""The conflict check kept per person: after an edit, only the people of the edited series are checked again.

A person's conflicts (double bookings, meetings they lead while booked elsewhere, dates while
their post is vacant, dates while they are away) depend on nothing but the series they are in,
their post's vacancy and their away times; a series' holiday and closure conflicts on nothing but
its version and the marked days. Each is kept per snapshot of exactly that
(:func:`~calsvc.schedule.kept.kept_work`). The answer equals
:func:`~calsvc.conflicts.sweep.find_conflicts` with
:func:`~calsvc.conflicts.availability.away_conflicts` over everybody's dates (tested on random
schedules and edits), and costs the work budget the same, kept or not.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import partial

from calsvc.schedule.attendance import involved
from calsvc.schedule.engine import series_dates
from calsvc.schedule.kept import Kept, kept_work
from calsvc.schedule.specs import Occurrence, SeriesSpec

from .availability import Away, away_conflicts
from .sweep import Conflict, day_conflicts, person_conflicts, sort_key

__all__ = ["KEPT_CONFLICTS", "clear_kept_conflicts", "kept_conflicts"]

KEPT_CONFLICTS = 100_000
"""Conflicts kept per process at most (some 30 MB): a national-scale year has about 21,000."""

_KEPT: Kept[object, tuple[list[Conflict], int]] = Kept(KEPT_CONFLICTS)


def kept_conflicts(
    specs: Sequence[SeriesSpec],
    lo: datetime,
    hi: datetime,
    *,
    holidays: Mapping[date, str],
    closures: Mapping[date, str],
    vacancies: Mapping[str, Callable[[date], bool]],
    away: Sequence[Away] = (),
    buffer: timedelta = timedelta(0),
    people: Collection[str] | None = None,
) -> list[Conflict]:
    """The conflicts of the dates of ``specs`` in the naive local window ``[lo, hi)``, sorted.

    ``people``: only theirs (``None``: everybody's), plus the holiday and closure conflicts of all
    dates. Every series of each person asked about must be among ``specs``.
    """
    dates = {spec.id: series_dates(spec, lo, hi) for spec in specs}  # every series counted once, kept or not
    found: list[Conflict] = []
    series_of: dict[str, list[SeriesSpec]] = {}
    for spec in specs:
        days = partial(day_conflicts, dates[spec.id], holidays, closures)
        found.extend(_kept(("days", spec.id, lo, hi), (spec, holidays, closures), days))
        for code in involved(spec):
            series_of.setdefault(code, []).append(spec)
    away_of: dict[str, list[Away]] = {}
    for item in away:
        away_of.setdefault(item.person, []).append(item)
    for code in series_of if people is None else [c for c in people if c in series_of]:
        own = tuple(series_of[code])
        vacancy, away_times = vacancies.get(code), tuple(away_of.get(code, ()))
        theirs = partial(_person, code, [dates[spec.id] for spec in own], vacancy, away_times, buffer)
        found.extend(_kept(("person", code, lo, hi, buffer), (own, vacancy, away_times), theirs))
    found.sort(key=sort_key)
    return found


def _kept(key: Hashable, snapshot: object, compute: Callable[[], list[Conflict]]) -> list[Conflict]:
    return kept_work(_KEPT, key, snapshot, compute, lambda conflicts: len(conflicts) + 1)


def _person(
    code: str,
    dates: list[Sequence[Occurrence]],
    vacancy: Callable[[date], bool] | None,
    away: Sequence[Away],
    buffer: timedelta,
) -> list[Conflict]:
    """One person's conflicts among the dates of their series."""
    theirs = [o for series in dates for o in series]
    return [
        *person_conflicts(code, theirs, vacancy=vacancy, buffer=buffer),
        *away_conflicts(theirs, away, buffer=buffer),
    ]


def clear_kept_conflicts() -> None:
    """Forget every kept conflict (benchmarks measure a cold start with this)."""
    _KEPT.clear()
