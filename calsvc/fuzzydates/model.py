"""The results of reading a Terminierung: periods with an honest precision, and flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .labels import period_label, terminierung_label

__all__ = ["YEAR_MAX", "YEAR_MIN", "FuzzyPeriod", "Precision", "Terminierung"]

YEAR_MIN, YEAR_MAX = 1990, 2100
"""The years a plan may name, and so the years calsvc works in (:mod:`calsvc.schedule.bounds`)."""


class Precision(StrEnum):
    """How exactly a period is known, finest first."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class FuzzyPeriod:
    """A period of whole days; ``end`` is the last day (inclusive)."""

    start: date
    end: date
    precision: Precision
    focus: bool = False

    def label(self) -> str:
        """German label that claims no more precision than the period has."""
        return period_label(self.start, self.end, self.precision)


@dataclass(frozen=True, slots=True)
class Terminierung:
    """What a Terminierung text means; ``raw`` keeps the text verbatim."""

    raw: str
    periods: tuple[FuzzyPeriod, ...]
    ongoing: bool = False
    tentative: bool = False
    unscheduled: bool = False

    def span(self) -> tuple[date, date] | None:
        """First and last day of the non-focus periods; None when unscheduled."""
        main = [p for p in self.periods if not p.focus]
        if self.unscheduled or not main:
            return None
        return min(p.start for p in main), max(p.end for p in main)

    def label(self) -> str:
        """German summary for pages, e.g. "im II. Quartal 2024, fortlaufend"."""
        return terminierung_label(self)
