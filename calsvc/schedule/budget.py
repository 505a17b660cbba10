"""The work budget: how far a rule may reach and how many occurrences one request may expand.

A recurrence rule is cheap to write and can be expensive to answer (``FREQ=DAILY;COUNT=10^9``,
a rule that never matches and makes dateutil search until the year 9999). Rules are checked
against these bounds before anything is expanded (:func:`calsvc.schedule.rrule.normalize_rrule`),
and every expansion counts its occurrences against the budget of the current unit of work (one
HTTP request, one command): :func:`spend` refuses with :class:`BudgetExceeded` (422) once it
is used up, so no request can pin a worker or its memory.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import timedelta

from calsvc.errors import ValidationError

__all__ = [
    "ANONYMOUS_OCCURRENCES",
    "MAX_COUNT",
    "MAX_INTERVAL",
    "MAX_RULE_SPAN",
    "BudgetExceeded",
    "WorkBudget",
    "budget",
    "close_budget",
    "counting",
    "open_budget",
    "spend",
]

MAX_INTERVAL = 100
"""INTERVAL from 1 (every) to 100 (every hundredth day/week/month/year)."""
MAX_RULE_SPAN = timedelta(days=3653)
"""A series with an end ends within ten years of its start (UNTIL, or the COUNT-th date)."""
MAX_COUNT = 3653
"""COUNT at most: a daily meeting for ten years."""
REQUEST_OCCURRENCES = 250_000
"""Occurrences one request may expand: the national-scale year is about 100,000."""
ANONYMOUS_OCCURRENCES = 50_000
"""Occurrences one request without a login or API token may expand: a district office's busiest
year is a few thousand, and a burst of anonymous requests must not hold every worker for seconds."""


class BudgetExceeded(ValidationError):
    """The request would expand more occurrences than one request may: ask for a smaller window."""

    code = "too_much_work"


@dataclass
class WorkBudget:
    """Occurrences this unit of work may still expand, and how many it did (tests count them)."""

    limit: int = REQUEST_OCCURRENCES
    used: int = 0

    def spend(self, occurrences: int, field: str | None = None) -> None:
        """Count ``occurrences``; refuse once the limit is passed."""
        self.used += occurrences
        if self.used > self.limit:
            limit = f"{self.limit:_}".replace("_", ".")  # German thousands: 250.000
            raise BudgetExceeded(
                f"Die Anfrage ergäbe mehr als {limit} Termine. Bitte einen kürzeren Zeitraum wählen.", field=field
            )


_CURRENT: ContextVar[WorkBudget | None] = ContextVar("calsvc_work_budget", default=None)


@contextmanager
def budget(limit: int = REQUEST_OCCURRENCES) -> Iterator[WorkBudget]:
    """A fresh budget for one unit of work (the web layer opens one per request)."""
    meter = WorkBudget(limit)
    token = _CURRENT.set(meter)
    try:
        yield meter
    finally:
        _CURRENT.reset(token)


def open_budget(limit: int = REQUEST_OCCURRENCES) -> Token[WorkBudget | None]:
    """Start a budget where a ``with`` block does not fit (request hooks); pass the token to close it."""
    return _CURRENT.set(WorkBudget(limit))


def close_budget(token: Token[WorkBudget | None]) -> None:
    """End the budget :func:`open_budget` started."""
    _CURRENT.reset(token)


def spend(occurrences: int, field: str | None = None) -> None:
    """Count expanded occurrences against the current budget (none outside a unit of work)."""
    meter = _CURRENT.get()
    if meter is not None:
        meter.spend(occurrences, field)


@dataclass
class Tally:
    """The work one block did (set when it ends)."""

    used: int = 0


@contextmanager
def counting() -> Iterator[Tally]:
    """Count a block's work, outside a unit of work too: a result kept for later must cost it again.

    Inside a unit of work the block spends from that budget as it goes (and is refused at its
    limit); outside one (a command) it is counted without a limit.
    """
    meter = _CURRENT.get() or WorkBudget(sys.maxsize)
    token = _CURRENT.set(meter)
    before, tally = meter.used, Tally()
    try:
        yield tally
    finally:
        _CURRENT.reset(token)
        tally.used = meter.used - before
