"""The one occurrence engine: series and activities → concrete occurrences in a window.

Feeds, agenda, API, reports and conflicts all read occurrences from here, so they never
disagree. :func:`expand` is pure; :func:`occurrences` loads the specs from a session first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache, partial
from operator import attrgetter
from typing import Any

from sqlalchemy.orm import Session

from .attendance import DatePeople, date_people
from .budget import counting, spend
from .kept import Kept, kept_work
from .rrule import clear_rule_caches, expand_rule
from .specs import ActivitySpec, Occurrence, OccurrenceStatus, SeriesSpec
from .walltime import as_local_naive, localize

__all__ = [
    "KEPT_OCCURRENCES",
    "clear_engine_caches",
    "expand",
    "expand_activity",
    "expand_series",
    "occurrences",
    "series_dates",
    "upcoming",
]

KEPT_OCCURRENCES = 100_000
"""Occurrences kept per process at most (some 30 MB): a national-scale year is about 50,000."""


def occurrences(
    session: Session,
    start: date | datetime,
    end: date | datetime,
    *,
    person: str | None = None,
    gremium: str | None = None,
    include_activities: bool = True,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """Occurrences overlapping ``[start, end)`` for a person or Gremium (or everything).

    Dates mean local midnight. Unknown person codes or slugs raise ``NotFound`` naming the field.
    """
    from .store import load_activities, load_series, require_person

    series = load_series(session, person=person, gremium=gremium)
    activities = load_activities(session, person=person) if include_activities and not gremium else []
    found = expand(series, activities, start, end, include_cancelled=include_cancelled)
    if person is None:
        return found
    code = require_person(session, person).code  # a series counts, not each of its dates: drop those they miss
    return [o for o in found if o.kind != "meeting" or code in o.participant_codes]


def upcoming(session: Session, now: datetime, days: int, **filters: Any) -> list[Occurrence]:
    """:func:`occurrences` overlapping ``[now, now + days)``, expanded over whole days.

    A window starting at this very moment would be a new one on every request, so the dates
    kept per window would never serve a second one (and would push out those that do).
    """
    first = now.date()
    found = occurrences(session, first, first + timedelta(days=days + 1), **filters)
    until = now + timedelta(days=days)
    return [o for o in found if o.start < until and (o.end > now or o.start >= now)]


def expand(
    series: Iterable[SeriesSpec],
    activities: Iterable[ActivitySpec],
    start: date | datetime,
    end: date | datetime,
    *,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """All occurrences of ``series`` and ``activities`` overlapping ``[start, end)``, sorted."""
    lo, hi = as_local_naive(start), as_local_naive(end)
    found: list[Occurrence] = []
    for spec in series:
        found.extend(_kept_occurrences(spec, lo, hi, include_cancelled))
    for activity in activities:
        found.extend(expand_activity(activity, lo, hi))
    if not include_cancelled:
        found = [o for o in found if o.status != "cancelled"]
    found.sort(key=_order)
    return found


_order = attrgetter("start", "end", "title", "key")  # in C: the sort key of every occurrence


def _overlaps(start: datetime, end: datetime, lo: datetime, hi: datetime) -> bool:
    """Half-open overlap; a zero-length occurrence counts when it sits inside the window."""
    return start < hi and (end > lo or start >= lo)


def series_dates(spec: SeriesSpec, start: date | datetime, end: date | datetime) -> tuple[Occurrence, ...]:
    """The not cancelled occurrences of one series overlapping ``[start, end)``, as :func:`expand` gathers them."""
    return _kept_occurrences(spec, as_local_naive(start), as_local_naive(end), False)


def expand_series(spec: SeriesSpec, lo: datetime, hi: datetime) -> Iterator[Occurrence]:
    """Occurrences of one series in the naive local window ``[lo, hi)``."""
    return _series_occurrences(spec, lo, hi, with_cancelled=True)


_EXPANDED: Kept[SeriesSpec, tuple[tuple[Occurrence, ...], int]] = Kept(KEPT_OCCURRENCES)  # dates, work


def _kept_occurrences(spec: SeriesSpec, lo: datetime, hi: datetime, with_cancelled: bool) -> tuple[Occurrence, ...]:
    """:func:`_series_occurrences`, kept per series version and window: after an edit only that series expands again.

    Both answers cost the request the same work: the rule's dates (what the expansion counted, in
    a command too) or the occurrences, whichever is more — so an answer kept by a command is never
    cheaper to a request either.
    """
    key = (spec.id, spec.master, spec.hidden, lo, hi, with_cancelled)
    dates = partial(_counted, spec, lo, hi, with_cancelled)
    return kept_work(_EXPANDED, key, spec, dates, lambda found: len(found) + 1, field="rrule")


def _counted(spec: SeriesSpec, lo: datetime, hi: datetime, with_cancelled: bool) -> tuple[Occurrence, ...]:
    """The occurrences, counted as the rule's dates or the occurrences, whichever is more."""
    with counting() as rule:
        found = tuple(_series_occurrences(spec, lo, hi, with_cancelled=with_cancelled))
    if len(found) > rule.used:  # extra and moved dates are not counted by the rule's expansion
        spend(len(found) - rule.used, field="rrule")
    return found


def _series_occurrences(spec: SeriesSpec, lo: datetime, hi: datetime, *, with_cancelled: bool) -> Iterator[Occurrence]:
    """:func:`expand_series`; without cancelled ones the engine skips building what it drops anyway."""
    series_cancelled = spec.status == "cancelled"
    if series_cancelled and not with_cancelled:
        return
    changed = {e.recurrence_id: e for e in spec.exceptions}
    people = date_people(spec) if spec.attendance else None
    hidden = frozenset(spec.hidden)
    for original in expand_rule(spec.rrule, spec.dtstart, lo - spec.duration, hi) if spec.master else ():
        end = original + spec.duration
        if not _overlaps(original, end, lo, hi) or original in hidden:
            continue
        exception = changed.get(original)
        if exception is None:
            status: OccurrenceStatus = "cancelled" if series_cancelled else spec.status
            yield _meeting(spec, original, end, status=status, recurrence_id=original, people=people)
            continue
        if not exception.cancelled:
            continue  # yielded below at its new time
        if with_cancelled:
            yield _meeting(
                spec, original, end, status="cancelled", recurrence_id=original, note=exception.note, people=people
            )
    for exception in spec.exceptions if spec.master else ():
        if exception.cancelled or exception.recurrence_id in hidden:
            continue
        start = exception.new_start or exception.recurrence_id
        end = start + (exception.new_duration or spec.duration)
        if _overlaps(start, end, lo, hi):
            yield _meeting(
                spec,
                start,
                end,
                status="cancelled" if series_cancelled else spec.status,
                recurrence_id=exception.recurrence_id,
                location=exception.new_location,
                moved=True,
                note=exception.note,
                people=people,
            )
    for extra in spec.extras:
        end = extra.start + (extra.duration or spec.duration)
        if _overlaps(extra.start, end, lo, hi):
            yield _meeting(
                spec,
                extra.start,
                end,
                status="cancelled" if series_cancelled else spec.status,
                uid=extra.uid or f"extra-{extra.id}",
                location=extra.location,
                note=extra.note,
                extra=True,
                people=people,
            )


def _meeting(
    spec: SeriesSpec,
    start: datetime,
    end: datetime,
    *,
    status: OccurrenceStatus,
    recurrence_id: datetime | None = None,
    uid: str | None = None,
    location: str | None = None,
    moved: bool = False,
    note: str = "",
    extra: bool = False,
    people: dict[datetime, DatePeople] | None = None,
) -> Occurrence:
    uid = uid or f"series-{spec.id}"
    start_at = _local_moment(start)  # a start in the spring gap moves on by the gap, and its end with it
    date_key = start if extra else recurrence_id
    leads, participants = (
        people[date_key] if people and date_key in people else (spec.lead_codes, spec.participant_codes)
    )
    return Occurrence(
        key=f"{uid}/{(recurrence_id or start):%Y%m%dT%H%M}",
        uid=uid,
        kind="meeting",
        source_id=spec.id,
        title=spec.title,
        start=start_at,
        end=start_at + (end - start),
        recurrence_id=_local_moment(recurrence_id) if recurrence_id is not None and spec.rrule else None,
        location=location if location is not None else spec.location,
        gremium_slug=spec.gremium_slug,
        gremium_name=spec.gremium_name,
        lead_codes=leads,
        participant_codes=participants,
        status=status,
        moved=moved,
        is_example=spec.is_example,
        note=note,
        extra=extra,
    )


def clear_engine_caches() -> None:
    """Forget kept expansions, parsed rules and local moments (benchmarks measure a cold start)."""
    _EXPANDED.clear()
    clear_rule_caches()
    _local_moment.cache_clear()


@lru_cache(maxsize=32768)
def _local_moment(naive: datetime) -> datetime:
    """The aware moment of a wall time, one object per slot: meetings share a few thousand slots a year."""
    return localize(naive)


def expand_activity(activity: ActivitySpec, lo: datetime, hi: datetime) -> Iterator[Occurrence]:
    """All-day spans of an activity's periods overlapping ``[lo, hi)``; none when unscheduled."""
    if activity.unscheduled:
        return
    status: OccurrenceStatus = "tentative" if activity.tentative else "confirmed"
    if activity.status == "entfallen":
        status = "cancelled"
    for index, period in enumerate(activity.published_periods()):
        start = datetime.combine(period.start, datetime.min.time())
        end = datetime.combine(period.end + timedelta(days=1), datetime.min.time())
        if not _overlaps(start, end, lo, hi):
            continue
        uid = f"activity-{activity.id}-{index}"
        yield Occurrence(
            key=uid,
            uid=uid,
            kind="activity",
            source_id=activity.id,
            title=activity.title,
            start=localize(start),
            end=localize(end),
            all_day=True,
            participant_codes=activity.responsible_codes,
            lead_codes=activity.responsible_codes[:1],
            status=status,
            label=period.label or activity.label,
            note=activity.terminierung,
        )
