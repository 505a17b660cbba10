"""Fuzzy dates of the work plan: read a "Terminierung" text into periods.

The plan dates its activities vaguely ("II. Quartal 2024, fortlaufend", "März/April 2024",
"noch zu klären"). :func:`parse_terminierung` reads such a text with a tokenizer and a small
recursive-descent grammar; every token must be understood, otherwise a
:class:`~calsvc.errors.FuzzyDateError` names the part it could not read. Pure: no I/O.

Grammar (case-insensitive; "conn" is one of ``-`` ``–`` ``bis`` ``/`` ``und``)::

    text   := (flag | "(" | ")" | "," | "insbes." | "im" | chain)*
    chain  := ["ab" | "bis" | "von"] unit (conn unit)*
    unit   := ORD (conn ORD)* ("Quartal" | "Halbjahr" | MONTH | conn DATE) [year] | atom
    atom   := DATE | ISODATE | MONTH [year] | SEASON [year] | "KW" NUM [year] | "Q" NUM [year]
            | "Quartal" ORD [year] | NUM "/" YEAR | YEAR | ("Anfang"|"Mitte"|"Ende") atom
    year   := YEAR | "/" YEAR

Decisions where the plan's wording is vague:

- A missing year is taken from the next phrase to its right that names one
  ("Januar bis März 2025", "12.-14.09.2025"), else from the plan year.
- ``A - B``, ``A bis B``, ``A/B`` (``März/April``) is one period from A's start to B's end;
  its precision is the finer of both. ``A und B`` are separate periods, merged into one when
  they touch and share the precision ("III. und IV. Quartal" = Jul 1 - Dec 31, quarter).
  Phrases side by side without a connector ("Januar 2024 April 2024") stay separate.
- "Anfang/Mitte/Ende <Monat>" = days 1-10 / 11-20 / 21-last, precision ``week``.
  "Anfang/Mitte/Ende <Jahr>" = Jan-Feb / Jun-Jul / Nov-Dec, precision ``month``.
- Seasons: Frühjahr Mar-May, Sommer Jun-Aug, Herbst Sep-Nov, Winter Y = Dec Y - Feb Y+1
  ("Winter 2025/26" is accepted too).
- "ab X": from X's start to Dec 31 of X's last year, ongoing. "bis X": from Jan 1 of the
  plan year (or of X's year if earlier) to X's end, precision of X.
- "ganzjährig": the whole year (of the other dates named, else the plan year), ongoing; other
  dates named with it become focus periods ("I. Quartal 2024 ganzjährig").
  "fortlaufend"/"laufend" alone means the same; next to a date it sets ``ongoing``: the period
  stays as named (when the work starts) and :func:`ongoing_end` says how far it reaches — until
  the activity is done, else to the end of its plan year.
- "insbes." marks the dates after it (up to ``)`` or ``,``) as focus periods.
- "noch zu klären", "zu klären", "tbd", "offen", "n.n." and "(in Klärung)" alone are
  unscheduled; "noch zu klären" next to a date is an error, "(in Klärung)" next to one
  marks it tentative.
"""

from __future__ import annotations

from calsvc.errors import FuzzyDateError

from .grammar import _Parser
from .model import YEAR_MAX, YEAR_MIN, FuzzyPeriod, Precision, Terminierung
from .ongoing import ongoing_end, ongoing_label
from .periods import _expr_period, _fill_years, _merge, _whole_year
from .tokens import _fail, _normalize

__all__ = ["FuzzyPeriod", "Precision", "Terminierung", "ongoing_end", "ongoing_label", "parse_terminierung"]


def parse_terminierung(text: str, plan_year: int) -> Terminierung:
    """Read a Terminierung text of the work plan; FuzzyDateError names what it cannot read."""
    if not YEAR_MIN <= plan_year <= YEAR_MAX:
        _fail(text, str(plan_year), f"Planjahr liegt nicht zwischen {YEAR_MIN} und {YEAR_MAX}")
    norm = _normalize(text)
    if not norm:
        raise FuzzyDateError("Terminierung ist leer", part="", text=text)
    parser = _Parser(norm)
    parser.run()
    _fill_years(parser.specs, plan_year)
    main: list[FuzzyPeriod] = []
    focus: list[FuzzyPeriod] = []
    for is_focus, exprs in parser.groups:
        periods = _merge([_expr_period(e, plan_year, norm) for e in exprs])
        (focus if is_focus else main).extend(periods)
    flags, words = set(parser.flags), parser.flags
    ongoing = bool(flags & {"year", "ongoing"}) or any(e[0] == "from" for _, g in parser.groups for e in g)
    if not main and not focus and not flags:
        _fail(norm, norm, "enthält keinen Zeitraum")
    if "open" in flags or (not main and not focus and flags == {"tentative"}):
        if main or focus or flags - {"open", "tentative"}:
            _fail(norm, words.get("open", norm), "steht neben einem Zeitraum oder Merkmal")
        return Terminierung(text, (), tentative="tentative" in flags, unscheduled=True)
    if "year" in flags or ("ongoing" in flags and not main):
        main, focus = _whole_year(main, focus, plan_year, norm, words.get("year", ""))
    if not main:
        _fail(norm, parser.focus_word, "ohne Zeitraum, auf den es sich bezieht")
    focus = [FuzzyPeriod(p.start, p.end, p.precision, True) for p in focus]
    periods = sorted(main, key=lambda p: (p.start, p.end)) + sorted(focus, key=lambda p: (p.start, p.end))
    return Terminierung(text, tuple(periods), ongoing, "tentative" in flags)
