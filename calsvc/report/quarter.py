"""A calendar quarter as the report names it: ``2024 Q2`` = "II. Quartal 2024" (01.04.–30.06.)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from calsvc.errors import ValidationError
from calsvc.german import ROMAN_QUARTERS
from calsvc.schedule.bounds import SPAN, YEARS

__all__ = ["Quarter", "parse_quarter"]

_QUARTER = re.compile(r"^\s*(?:Q|q)?\s*([1-4])\s*$")


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    """One quarter of a year; ``number`` is 1..4."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValidationError(f"Quartal {self.number} gibt es nicht (erlaubt: Q1 bis Q4).", field="quarter")
        if self.year not in YEARS:
            raise ValidationError(f"Jahr {self.year} liegt außerhalb von {SPAN}.", field="year")

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        """01.01., 01.04., 01.07. or 01.10."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        """The quarter's last day (inclusive)."""
        return self.next().first_day - timedelta(days=1)

    @property
    def end(self) -> date:
        """The day after the quarter (exclusive end, as the occurrence engine takes windows)."""
        return self.next().first_day

    @property
    def code(self) -> str:
        """``2024-Q2`` (file names, URLs)."""
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """``II. Quartal 2024`` (as the plan writes quarters)."""
        return f"{ROMAN_QUARTERS[self.number - 1]}. Quartal {self.year}"

    def next(self) -> Quarter:
        """The following quarter."""
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        """The quarter before."""
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def contains(self, day: date) -> bool:
        """True when ``day`` lies in this quarter."""
        return self.first_day <= day <= self.last_day


def parse_quarter(year: int | str, quarter: int | str) -> Quarter:
    """Read ``2024`` and ``Q2`` / ``2`` (CLI, URLs); a bad value raises ValidationError naming the field."""
    try:
        year_number = int(str(year).strip())
    except ValueError:
        raise ValidationError(f"„{year}“ ist kein Jahr (z. B. 2024).", field="year") from None
    match = _QUARTER.match(str(quarter))
    if match is None:
        raise ValidationError(f"„{quarter}“ ist kein Quartal – erlaubt sind Q1, Q2, Q3 und Q4.", field="quarter")
    return Quarter(year_number, int(match.group(1)))
