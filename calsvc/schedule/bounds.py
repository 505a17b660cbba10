"""The calendar's bounds: the years calsvc works in, and the longest span one request may cover.

One place, so that a date one page accepts is never refused by another: forms, API, CLI,
agenda months and reports read these. The years are those a plan may name (the plan parser,
:mod:`calsvc.fuzzydates`, sits below this package and holds the two numbers).
"""

from __future__ import annotations

from datetime import date

from calsvc.fuzzydates.model import YEAR_MAX, YEAR_MIN

__all__ = ["FIRST_YEAR", "LAST_YEAR", "MAX_WINDOW_DAYS", "OUTSIDE", "SPAN", "YEARS", "window_problem"]

FIRST_YEAR, LAST_YEAR = YEAR_MIN, YEAR_MAX
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
SPAN = f"{FIRST_YEAR}–{LAST_YEAR}"
OUTSIDE = f"Datum außerhalb des unterstützten Bereichs ({SPAN})."
MAX_WINDOW_DAYS = 5 * 366
"""A window of dates (conflicts, occurrences, absences, a proposal's repetitions): five years at most."""


def window_problem(first: date, last: date, names: tuple[str, str] = ("„von“", "„bis“")) -> str | None:
    """Why the days ``first``..``last`` (both inclusive) cannot be asked for at once, in German; ``None`` if they can.

    ``names``: how the asker calls the two (form fields, or ``--from``/``--to`` on the command line).
    """
    if last < first:
        return f"{names[1]} liegt vor {names[0]}."
    if (last - first).days > MAX_WINDOW_DAYS or first.year not in YEARS or last.year not in YEARS:
        return f"Der Zeitraum darf höchstens fünf Jahre zwischen {FIRST_YEAR} und {LAST_YEAR} umfassen."
    return None
