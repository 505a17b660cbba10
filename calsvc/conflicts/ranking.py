"""Ranking free slots for people choosing a date: a few per day, full hours first (pure).

:func:`calsvc.conflicts.service.free_slots` stays the one source of free time; this only orders
and thins what it found, so a short list offers several days instead of one day's quarter hours.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

__all__ = ["rank_slots"]

Slot = tuple[datetime, datetime]


def rank_slots(slots: Iterable[Slot], *, per_day: int = 3, limit: int = 12) -> list[Slot]:
    """Earliest days first; within a day, slots starting on the full hour, then on the half hour, then the rest."""
    by_day: dict[object, list[Slot]] = {}
    for slot in slots:
        by_day.setdefault(slot[0].date(), []).append(slot)
    ranked: list[Slot] = []
    for day in sorted(by_day):  # type: ignore[type-var]  # dates order
        chosen = sorted(by_day[day], key=lambda s: (_roundness(s[0]), s[0]))[:per_day]
        ranked.extend(sorted(chosen))
        if len(ranked) >= limit:
            break
    return ranked[:limit]


def _roundness(moment: datetime) -> int:
    """0 on the hour, 1 on the half hour, 2 otherwise."""
    return 0 if moment.minute == 0 else 1 if moment.minute == 30 else 2
