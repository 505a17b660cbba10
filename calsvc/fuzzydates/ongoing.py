"""What "fortlaufend" means over time: from the named period on, until done or the plan's end.

"II. Quartal 2024, fortlaufend" names when the work starts; it goes on after that quarter.
The periods keep what the plan named (labels, round trip); this module says how far an
ongoing activity reaches on a given day, the one rule agenda, feeds, API and report share.
Pure: no I/O.
"""

from __future__ import annotations

from datetime import date

__all__ = ["ongoing_end", "ongoing_label"]


def ongoing_end(named_end: date, plan_year: int, closed_on: date | None = None, *, closed: bool = False) -> date:
    """Last day an ongoing activity reaches: the day it was closed, else the plan year's end.

    Never before the end of the named period: marking it done early does not shorten what
    the plan promised. A closed activity without a dated note keeps the named period.
    """
    if closed:
        return max(named_end, closed_on) if closed_on else named_end
    return max(named_end, date(plan_year, 12, 31))


def ongoing_label(named_label: str) -> str:
    """``im II. Quartal 2024`` → ``ab II. Quartal 2024, fortlaufend``."""
    return f"ab {named_label.removeprefix('im ')}, fortlaufend"
