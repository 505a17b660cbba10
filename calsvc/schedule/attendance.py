"""Who is at which date: the series' people changed for single dates ("nur an diesem Termin").

Pure functions over :class:`~calsvc.schedule.specs.SeriesSpec`; the engine applies
:func:`date_people` to every occurrence it builds, so feeds, agenda and conflicts agree.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .specs import ExtraSpec, SeriesSpec

__all__ = [
    "DatePeople",
    "attends",
    "date_participants",
    "date_people",
    "date_view",
    "involved",
    "person_view",
    "single_date_uid",
]

DatePeople = tuple[tuple[str, ...], tuple[str, ...]]
"""Leads and participants of one date."""


def date_participants(spec: SeriesSpec) -> dict[datetime, tuple[str, ...]]:
    """The participant codes of every date whose people differ from the series' (keyed by recurrence id)."""
    changes: dict[datetime, dict[str, bool]] = {}
    for change in spec.attendance:
        changes.setdefault(change.recurrence_id, {})[change.code] = change.present
    result = {}
    for rid, by_code in changes.items():
        kept = [c for c in spec.participant_codes if by_code.get(c, True)]
        added = [c for c, present in by_code.items() if present and c not in kept]
        result[rid] = (*kept, *added)
    return result


def date_people(spec: SeriesSpec) -> dict[datetime, DatePeople]:
    """Leads and participants of every changed date: a lead who misses a date does not lead it either."""
    result = {}
    for rid, codes in date_participants(spec).items():
        missing = set(spec.participant_codes) - set(codes)
        result[rid] = (tuple(c for c in spec.lead_codes if c not in missing), codes)
    return result


def involved(spec: SeriesSpec) -> frozenset[str]:
    """Everybody who is at some date of the series: its leads and participants and single-date additions."""
    added = (a.code for a in spec.attendance if a.present)
    return frozenset((*spec.lead_codes, *spec.participant_codes, *added))


def attends(spec: SeriesSpec, code: str) -> bool:
    """Whether ``code`` takes part in the series or in one of its dates (a person's feed and filter)."""
    return code in spec.participant_codes or any(a.present and a.code == code for a in spec.attendance)


def single_date_uid(series_id: int, recurrence_id: datetime) -> str:
    """The UID of one date published alone (to a person who attends only that date)."""
    return f"series-{series_id}-{recurrence_id:%Y%m%dT%H%M}"


def person_view(spec: SeriesSpec, code: str) -> SeriesSpec | None:
    """The series as ``code`` attends it (``None``: never): without the dates they miss, or only their dates.

    A person of the whole series keeps the rule, with the dates they miss left out (EXDATE in
    their feed). A person of single dates only gets those dates as events of their own.
    """
    mine = {rid for rid, codes in date_participants(spec).items() if code in codes}
    whole = code in spec.participant_codes
    return date_view(spec, whole=whole, present=mine, missed=set(date_participants(spec)) - mine if whole else set())


def date_view(spec: SeriesSpec, *, whole: bool, present: set[datetime], missed: set[datetime]) -> SeriesSpec | None:
    """The series as someone attends it: every date but ``missed`` (``whole``), or only the dates ``present``.

    The one rule for a person's feed and for anybody's invitation (guests have no code), so that
    both name the same dates with the same UIDs.
    """
    if whole:
        if not missed:
            return spec
        kept = tuple(x for x in spec.extras if x.start not in missed)
        hidden = tuple(sorted(missed - {x.start for x in spec.extras}))
        if not spec.rrule and spec.dtstart in hidden:  # a single date they miss: nothing of the rule is left
            return replace(spec, extras=kept, master=False, exceptions=()) if kept else None
        return replace(spec, extras=kept, hidden=hidden)
    if not present:
        return None
    changed = {e.recurrence_id: e for e in spec.exceptions}
    extras = [x for x in spec.extras if x.start in present]
    for rid in sorted(present - {x.start for x in spec.extras}):
        exc = changed.get(rid)
        if exc is not None and exc.cancelled:
            continue  # the date is cancelled for everybody
        uid = single_date_uid(spec.id, rid)
        if exc is None:
            extras.append(ExtraSpec(id=spec.id, start=rid, uid=uid, updated_at=spec.updated_at))
            continue
        extras.append(
            ExtraSpec(
                id=spec.id,
                start=exc.new_start or rid,
                duration=exc.new_duration,
                location=exc.new_location,
                note=exc.note,
                sequence=exc.sequence,
                updated_at=exc.updated_at,
                uid=uid,
            )
        )
    extras.sort(key=lambda x: x.start)
    return replace(spec, master=False, exceptions=(), extras=tuple(extras))
