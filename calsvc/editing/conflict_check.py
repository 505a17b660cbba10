"""Conflicts a meeting change would create, from the conflict checker (when it is installed).

Adapter over :func:`calsvc.conflict_service.check_proposal`: checks the old and the new
shape of a meeting as proposals and returns only the conflicts the change adds, leaving out
clashes with the meeting's own (old) occurrences. Without the checker there are no warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from ..errors import CalsvcError
from ..models import MeetingSeries

__all__ = ["checker_available", "new_conflicts", "occurrence_proposal", "save_checked", "series_proposal"]

PROPOSAL_UID = "vorschlag"


def _checker() -> Callable[..., Any] | None:
    try:
        from ..conflict_service import check_proposal
    except ImportError:
        return None
    return check_proposal


def checker_available() -> bool:
    """True once the conflict checker is part of the app."""
    return _checker() is not None


def series_proposal(series: MeetingSeries) -> dict[str, Any] | None:
    """The series as the checker's proposal (None for cancelled series: they are not in feeds)."""
    if series.status == "cancelled":
        return None
    return {
        "start": series.dtstart.isoformat(),
        "duration": series.duration_minutes,
        "rrule": series.rrule,
        "title": series.title,
        "location": series.location,
        "gremium": series.gremium.slug if series.gremium else None,
        "participants": [p.person.code for p in series.participants],
    }


def occurrence_proposal(series: MeetingSeries, start: datetime, minutes: int, location: str) -> dict[str, Any]:
    """One (moved or extra) occurrence of ``series`` as a single-date proposal."""
    base = series_proposal(series) or {}
    return {**base, "start": start.isoformat(), "duration": minutes, "rrule": None, "location": location}


def new_conflicts(
    session: Session, series_id: int | None, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[str]:
    """German descriptions of the conflicts ``after`` has and ``before`` had not."""
    check = _checker()
    if check is None or after is None:
        return []
    old = _found(check, session, series_id, before) if before else {}
    return [text for key, text in _found(check, session, series_id, after).items() if key not in old]


def _found(
    check: Callable[..., Any], session: Session, series_id: int | None, proposal: Mapping[str, Any]
) -> dict[tuple[Any, ...], str]:
    try:
        results = check(session, dict(proposal))
    except CalsvcError:  # e.g. neither Gremium nor participants: nothing to check against
        return {}
    found: dict[tuple[Any, ...], str] = {}
    for result in results:
        for conflict in result.conflicts:
            others = [o for o in conflict.occurrences if o.uid != PROPOSAL_UID]
            if others and all(o.kind == "meeting" and o.source_id == series_id for o in others):
                continue  # the meeting's own old occurrence, which the change replaces
            key = (conflict.kind, conflict.day, conflict.person, tuple(sorted(o.key for o in others)))
            found[key] = f"{conflict.day:%d.%m.%Y}: {conflict.message}"
    return found


T = TypeVar("T")


def save_checked(
    session: Session,
    apply: Callable[[Sequence[str]], T],
    before: Mapping[str, Any] | None,
    after: Callable[[T], Mapping[str, Any] | None],
    series_id: Callable[[T], int | None],
    *,
    confirm: bool,
) -> tuple[T | None, list[str]]:
    """Apply a meeting change unless it creates conflicts nobody confirmed.

    ``apply(confirmed)`` performs the change (``confirmed`` lists the conflicts accepted, for the
    audit entry). Returns ``(result, conflicts)``; ``result`` is None when the change was rolled
    back because of unconfirmed conflicts.
    """
    result = apply(())
    if not checker_available():
        return result, []
    proposal, own_id = after(result), series_id(result)
    session.rollback()  # check against the calendar as it is, without the change itself
    conflicts = new_conflicts(session, own_id, before, proposal)
    if conflicts and not confirm:
        return None, conflicts
    return apply(conflicts), conflicts
