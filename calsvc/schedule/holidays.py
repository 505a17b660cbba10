"""Berlin public holidays (library ``holidays``, Germany/BE, German names) and office closures."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.models import ClosureDay

__all__ = ["berlin_holidays", "closure_days", "holiday_name"]


@lru_cache(maxsize=64)
def _holidays_of_year(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("DE", subdiv="BE", years=year, language="de").items())


def berlin_holidays(start: date, end: date) -> dict[date, str]:
    """Public holidays in Berlin in ``[start, end]`` with their German names (incl. Frauentag)."""
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update({d: n for d, n in _holidays_of_year(year).items() if start <= d <= end})
    return found


def holiday_name(day: date) -> str | None:
    """The German name of the Berlin holiday on ``day``, if any."""
    return _holidays_of_year(day.year).get(day)


def closure_days(session: Session, start: date, end: date) -> dict[date, str]:
    """Configured office closure days in ``[start, end]`` with their reason."""
    rows = session.scalars(select(ClosureDay).where(ClosureDay.day >= start, ClosureDay.day <= end))
    return {row.day: row.reason for row in rows}
