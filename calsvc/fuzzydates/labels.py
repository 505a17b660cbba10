"""German labels of fuzzy periods: say exactly as much as the period's precision knows.

A label is the canonical phrase of the precision ("im II. Quartal 2024", "KW 12/2025",
"Ende März 2025") when the dates have that shape; otherwise it falls back to months
("Mai–Dezember 2025") and then to plain days ("12.09.–03.10.2025"), so it never claims
a shape the dates do not have. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

from calsvc.german import MONTHS, ROMAN_QUARTERS

if TYPE_CHECKING:
    from .model import Terminierung

__all__ = ["period_label", "terminierung_label"]

_SEASONS = {3: "Frühjahr", 6: "Sommer", 9: "Herbst", 12: "Winter"}
_THIRDS = ("Anfang", "Mitte", "Ende")

# months per unit, short form (first of a pair), long form, separator of two neighbours
_Unit = tuple[int, Callable[[int], str], Callable[[int], str], str]
_UNITS: dict[str, _Unit] = {
    "month": (1, lambda i: MONTHS[i - 1], lambda i: MONTHS[i - 1], "/"),
    "quarter": (3, lambda i: f"{ROMAN_QUARTERS[i - 1]}.", lambda i: f"{ROMAN_QUARTERS[i - 1]}. Quartal", " und "),
    "half": (6, lambda i: f"{i}.", lambda i: f"{i}. Halbjahr", " und "),
}


def _is_month_end(d: date) -> bool:
    return (d + timedelta(days=1)).day == 1


def _days(start: date, end: date) -> str:
    if start == end:
        return f"{start:%d.%m.%Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%d.}–{end:%d.%m.%Y}"
    if start.year == end.year:
        return f"{start:%d.%m.}–{end:%d.%m.%Y}"
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


def _units(start: date, end: date, unit: _Unit) -> str | None:
    size, short, long, pair = unit
    if start.day != 1 or not _is_month_end(end) or (start.month - 1) % size or end.month % size:
        return None
    a, b = (start.month - 1) // size + 1, end.month // size
    if start.year != end.year:
        return f"{long(a)} {start.year}–{long(b)} {end.year}"
    if a == b:
        return f"im {long(a)} {start.year}"
    return f"{short(a)}{pair if b == a + 1 else '–'}{long(b)} {start.year}"


def _weeks(start: date, end: date) -> str | None:
    if start.weekday() == 0 and end.weekday() == 6 and start.isocalendar()[0] == end.isocalendar()[0]:
        first_week, last_week = start.isocalendar()[1], end.isocalendar()[1]
        weeks = f"{first_week}" if first_week == last_week else f"{first_week}–{last_week}"
        return f"KW {weeks}/{start.isocalendar()[0]}"
    thirds = {1: 0, 11: 1, 21: 2}
    if start.day not in thirds or not (end.day in (10, 20) or _is_month_end(end)):
        return None
    a, b = thirds[start.day], 2 if _is_month_end(end) else end.day // 10 - 1
    first, last = f"{_THIRDS[a]} {MONTHS[start.month - 1]}", f"{_THIRDS[b]} {MONTHS[end.month - 1]}"
    if (start.year, start.month, a) == (end.year, end.month, b):
        return f"{first} {start.year}"
    if start.year == end.year:
        return f"{first}–{last} {end.year}"
    return f"{first} {start.year}–{last} {end.year}"


def _season(start: date, end: date) -> str | None:
    if start.day != 1 or start.month not in _SEASONS or not _is_month_end(end):
        return None
    if (end.year * 12 + end.month) - (start.year * 12 + start.month) != 2:
        return None
    year = f"{start.year}/{end.year % 100:02d}" if start.month == 12 else f"{start.year}"
    return f"im {_SEASONS[start.month]} {year}"


def _years(start: date, end: date) -> str | None:
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31):
        return None
    return f"im Jahr {start.year}" if start.year == end.year else f"{start.year}–{end.year}"


def period_label(start: date, end: date, precision: str) -> str:
    """German label of a period that claims no more than ``precision`` knows."""
    canonical: dict[str, Callable[[date, date], str | None]] = {
        "week": _weeks,
        "season": _season,
        "year": _years,
        **{k: partial(_units, unit=u) for k, u in _UNITS.items()},
    }
    if precision in canonical and (text := canonical[precision](start, end)):
        return text
    if precision != "day" and (text := _units(start, end, _UNITS["month"])):
        return text
    return _days(start, end)


def terminierung_label(t: Terminierung) -> str:
    """Summary for pages: "im II. Quartal 2024, fortlaufend", "noch zu klären", ..."""
    if t.unscheduled:
        return "noch zu klären"
    main = [p for p in t.periods if not p.focus]
    focus = [p for p in t.periods if p.focus]
    whole = [
        t.ongoing and p.precision == "year" and p.start.year == p.end.year and _years(p.start, p.end) is not None
        for p in main
    ]
    text = " und ".join(f"{p.start.year} (ganzjährig)" if w else p.label() for p, w in zip(main, whole, strict=True))
    if t.ongoing and not any(whole):
        text += ", fortlaufend"
    if focus:
        text += ", insbes. " + " und ".join(p.label() for p in focus)
    if t.tentative:
        text += " (in Klärung)"
    return text
