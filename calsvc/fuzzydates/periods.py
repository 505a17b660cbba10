"""The meaning of parsed phrases: dates, ranges, merged lists, "ganzjährig"."""

from __future__ import annotations

from datetime import date, timedelta

from .grammar import _Expr
from .model import FuzzyPeriod, Precision
from .tokens import _fail, _Spec

# --- meaning --------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _months(year: int, first: int, count: int, precision: Precision) -> tuple[date, date, Precision]:
    last = first + count - 1
    return date(year, first, 1), _month_end(year + (last - 1) // 12, (last - 1) % 12 + 1), precision


def _bounds(s: _Spec, year: int) -> tuple[date, date, Precision]:
    """Start, end and precision of one phrase; ValueError when no such date exists."""
    if s.kind == "day":
        return date(year, s.m, s.n), date(year, s.m, s.n), Precision.DAY
    if s.kind == "week":
        monday = date.fromisocalendar(year, s.n, 1)
        return monday, monday + timedelta(days=6), Precision.WEEK
    if s.kind == "third":
        first = date(year, s.m, 1 + 10 * s.n)
        last = _month_end(year, s.m) if s.n == 2 else first + timedelta(days=9)
        return first, last, Precision.WEEK
    sizes = {
        "month": (1, 12, Precision.MONTH),
        "quarter": (3, 4, Precision.QUARTER),
        "half": (6, 2, Precision.HALF),
        "year": (12, 1, Precision.YEAR),
    }
    if s.kind in sizes:
        size, count, precision = sizes[s.kind]
        if not 1 <= s.n <= count:
            raise ValueError(s.n)
        return _months(year, (s.n - 1) * size + 1, size, precision)
    if s.kind == "season":
        return _months(year, s.n, 3, Precision.SEASON)
    return _months(year, (1, 6, 11)[s.n], 2, Precision.MONTH)  # yearpart


def _period(s: _Spec, text: str) -> FuzzyPeriod:
    try:
        return FuzzyPeriod(*_bounds(s, s.year or 0))
    except ValueError:
        _fail(text, text[s.begin : s.stop], "ist kein gültiges Datum")


_ORDER = list(Precision)


def _expr_period(expr: _Expr, plan_year: int, text: str) -> FuzzyPeriod:
    kind, a, b = expr
    pa = _period(a, text)
    if kind == "from":
        return FuzzyPeriod(pa.start, date(pa.end.year, 12, 31), pa.precision)
    if kind == "until":
        return FuzzyPeriod(date(min(plan_year, pa.start.year), 1, 1), pa.end, pa.precision)
    if b is None:
        return pa
    pb = _period(b, text)
    if pb.start < pa.start or pb.end < pa.end:
        _fail(text, text[a.begin : b.stop], "endet vor seinem Beginn")
    precision = min(pa.precision, pb.precision, key=_ORDER.index)
    return FuzzyPeriod(pa.start, pb.end, precision)


def _merge(periods: list[FuzzyPeriod]) -> list[FuzzyPeriod]:
    """Join periods of one "und" list that touch and share their precision."""
    out: list[FuzzyPeriod] = []
    for p in periods:
        prev = out[-1] if out else None
        if prev and prev.precision == p.precision and prev.end + timedelta(days=1) == p.start:
            out[-1] = FuzzyPeriod(prev.start, p.end, p.precision, p.focus)
        else:
            out.append(p)
    return out


def _fill_years(specs: list[_Spec], plan_year: int) -> None:
    """A phrase without a year takes the next year named to its right, else the plan year."""
    year = plan_year
    for spec in reversed(specs):
        if spec.year is None:
            spec.year = year
        else:
            year = spec.year


def _whole_year(
    main: list[FuzzyPeriod], focus: list[FuzzyPeriod], plan_year: int, text: str, word: str
) -> tuple[list[FuzzyPeriod], list[FuzzyPeriod]]:
    """ "ganzjährig": the dates named with it become focus periods inside their year."""
    if main and all(p.precision is Precision.YEAR for p in main):
        return main, focus
    focus = focus + [FuzzyPeriod(p.start, p.end, p.precision, True) for p in main]
    years = {p.start.year for p in focus} | {p.end.year for p in focus} or {plan_year}
    if len(years) > 1:
        _fail(text, word or text, "passt nicht zu Daten aus mehreren Jahren")
    (year,) = years
    return [FuzzyPeriod(date(year, 1, 1), date(year, 12, 31), Precision.YEAR)], focus
