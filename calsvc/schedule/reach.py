"""How far a rule reaches: its dates within ten years of the start, found by a bounded search.

dateutil stops iterating at a rule's UNTIL or COUNT only when a date matches. A rule that
never matches (``BYSETPOS=6`` on Mondays of a month, the 30th of February) makes it walk
every period up to the year 9999: about 96,000 months, a second of CPU per request.

The Gregorian calendar repeats exactly every 400 years (146,097 days, 20,871 weeks), so the
search runs on a copy of the rule moved by whole 400-year cycles to end just before 9999: a
rule that never matches then costs at most ~410 years of periods. A daily rule of every day
that picks its days by BYMONTHDAY, BYDAY or BYYEARDAY (no BYSETPOS) is searched as the yearly
rule with the same parts, which picks the same days year by year instead of day by day.
Dates are moved back before they are returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from itertools import islice

from dateutil.rrule import YEARLY, rrule

from .budget import MAX_COUNT, MAX_RULE_SPAN

__all__ = ["CYCLE_YEARS", "starts_within_horizon"]

CYCLE_YEARS = 400
LAST_YEAR = 9999


def starts_within_horizon(
    rule: rrule, parts: Mapping[str, str], dtstart: datetime, until: datetime | None, limit: int = MAX_COUNT + 1
) -> list[datetime]:
    """The first ``limit`` starts of ``rule`` (with ``parts``) from ``dtstart`` up to ten years on and ``until``.

    By default ``MAX_COUNT + 1`` starts: enough to tell whether a COUNT ends within ten years;
    ``limit=1`` tells whether the rule occurs at all, at the cost of finding its first date.
    """
    horizon = min(until or dtstart + MAX_RULE_SPAN, dtstart + MAX_RULE_SPAN)
    years = CYCLE_YEARS * max(0, (LAST_YEAR - horizon.year - 1) // CYCLE_YEARS)
    probe = rule.replace(dtstart=_moved(dtstart, years), until=_moved(horizon, years), count=None)
    if _days_as_years(parts):
        probe = probe.replace(freq=YEARLY)
    return [_moved(start, -years) for start in islice(probe, limit)]


def _moved(moment: datetime, years: int) -> datetime:
    """``moment`` at the same place of the calendar ``years`` (a multiple of 400) later."""
    return moment.replace(year=moment.year + years)


def _days_as_years(parts: Mapping[str, str]) -> bool:
    """Whether the rule is "every day that …" with a day-level part, so YEARLY picks the same days."""
    daily = parts.get("FREQ") == "DAILY" and parts.get("INTERVAL", "1") == "1" and "BYSETPOS" not in parts
    return daily and bool({"BYMONTHDAY", "BYDAY", "BYYEARDAY"} & parts.keys())
