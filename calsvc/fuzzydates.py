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
  "fortlaufend"/"laufend" alone means the same; next to a date it only sets ``ongoing``.
- "insbes." marks the dates after it (up to ``)`` or ``,``) as focus periods.
- "noch zu klären", "zu klären", "tbd", "offen", "n.n." and "(in Klärung)" alone are
  unscheduled; "noch zu klären" next to a date is an error, "(in Klärung)" next to one
  marks it tentative.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NoReturn

from calsvc.errors import FuzzyDateError
from calsvc.fuzzydates_labels import period_label, terminierung_label

__all__ = ["FuzzyPeriod", "Precision", "Terminierung", "parse_terminierung"]

YEAR_MIN, YEAR_MAX = 1990, 2100


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


# --- vocabulary -----------------------------------------------------------------------

_MONTHS = {
    k: i
    for i, names in enumerate(
        (
            "januar jan jänner",
            "februar feb febr",
            "märz mär mrz maerz",
            "april apr",
            "mai",
            "juni jun",
            "juli jul",
            "august aug",
            "september sep sept",
            "oktober okt",
            "november nov",
            "dezember dez",
        ),
        1,
    )
    for k in names.split()
}
_SEASONS = {"frühjahr": 3, "frühling": 3, "sommer": 6, "herbst": 9, "winter": 12}
_THIRDS = {"anfang": 0, "mitte": 1, "ende": 2}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_UNIT_NOUNS = {"quartal": "quarter", "quartale": "quarter", "halbjahr": "half", "hj": "half"}
_ATOM_WORDS = {*_MONTHS, *_SEASONS, *_THIRDS, "kw", "kalenderwoche", "q", "quartal"}
_FLAGS = {
    "ganzjährig": "year",
    "ganzjaehrig": "year",
    "fortlaufend": "ongoing",
    "laufend": "ongoing",
    "in klärung": "tentative",
    "noch zu klären": "open",
    "zu klären": "open",
    "tbd": "open",
    "t.b.d.": "open",
    "offen": "open",
    "n.n.": "open",
}
_FOCUS = {"insbes", "insbesondere"}
_FILLERS = {"im", "jahr"}
_CONNS = {"-": "-", "bis": "-", "/": "/", "und": "und", "&": "und"}
_VOCAB = {*_ATOM_WORDS, *_FLAGS, *_FOCUS, *_UNIT_NOUNS}

_TOKEN = re.compile(
    r"""
    (?P<phrase>noch\s+zu\s+klären|zu\s+klären|in\s+klärung|n\.\s?n\.|t\.b\.d\.)
  | (?P<iso>(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d))
  | (?P<date>(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})(?:\.(?P<dy>\d{4})?|(?![\d.])))
  | (?P<ord>\d{1,2}\.(?!\d)|\b(?-i:[iI][vV]|[iI]{1,3})\b\.?)  # ASCII only: İ and ı match i when ignoring case
  | (?P<num>\d+)
  | (?P<word>[^\W\d_]+\.?)
  | (?P<sym>[-/,()&.])
  | (?P<bad>\S)""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # phrase iso date ord num year word sym
    text: str
    key: str  # lower case, word dot removed, whitespace collapsed
    start: int
    end: int
    value: tuple[int | None, ...] = ()


@dataclass(slots=True)
class _Spec:
    """One date phrase whose year may still be missing."""

    kind: str  # day month quarter half season week year third yearpart
    n: int
    m: int
    year: int | None
    begin: int  # where the phrase stands in the normalised text
    stop: int


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(",;:!? ")

    def join(m: re.Match[str]) -> str:  # "ganz- jährig" is a line-break artefact
        joined = m[1] + m[2]
        return joined if joined.lower().rstrip(".") in _VOCAB else m[0]

    return re.sub(r"([^\W\d_]+)- ([^\W\d_]+\.?)", join, text)


def _fail(text: str, part: str, why: str = "nicht verstanden") -> NoReturn:
    raise FuzzyDateError(f"Terminierung „{text}“: „{part}“ {why}", part=part, text=text)


def _tokenize(text: str) -> list[_Tok]:
    toks = []
    for m in _TOKEN.finditer(text):
        kind, raw = m.lastgroup or "bad", m[0]
        key = re.sub(r"\s+", " ", raw.lower()).replace(". ", ".")
        value: tuple[int | None, ...] = ()
        if kind == "bad":
            _fail(text, raw)
        if kind == "iso":
            value = (int(m["id"]), int(m["im"]), int(m["iy"]))
        elif kind == "date":
            value = (int(m["dd"]), int(m["dm"]), int(m["dy"]) if m["dy"] else None)
        elif kind == "ord":
            value = (_ROMAN.get(key.rstrip(".")) or int(key.rstrip(".")), 1 if key[0] in "iv" else 0)
        elif kind == "num":
            if len(raw) not in (1, 2, 4):
                _fail(text, raw)
            kind, value = "year" if len(raw) == 4 else "num", (int(raw),)
        elif kind == "word":
            key = key.rstrip(".")
        year = value[2] if kind in ("iso", "date") else value[0] if kind == "year" else None
        if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
            _fail(text, raw, f"liegt nicht zwischen {YEAR_MIN} und {YEAR_MAX}")
        toks.append(_Tok(kind, raw, key, m.start(), m.end(), value))
    return toks


_Expr = tuple[str, _Spec, _Spec | None]  # ("one"|"range"|"from"|"until", a, b)


class _Parser:
    """Recursive descent over the tokens; collects specs, expressions and flags."""

    def __init__(self, text: str) -> None:
        self.text, self.toks, self.i = text, _tokenize(text), 0
        self.specs: list[_Spec] = []
        self.groups: list[tuple[bool, list[_Expr]]] = []  # (focus, exprs joined by "und")
        self.flags: dict[str, str] = {}  # flag -> its words as written
        self.focus_word = ""

    def peek(self, k: int = 0) -> _Tok | None:
        return self.toks[self.i + k] if self.i + k < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            _fail(self.text, self.toks[-1].text, "ist unvollständig")
        self.i += 1
        return tok

    def is_atom(self, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok is not None and (tok.kind in ("iso", "date", "ord", "num", "year") or tok.key in _ATOM_WORDS)

    def conn(self) -> str | None:
        tok = self.peek()
        return _CONNS.get(tok.key) if tok and tok.kind in ("sym", "word") else None

    def part(self, start: int) -> str:
        return self.text[self.toks[start].start : self.toks[self.i - 1].end]

    def run(self) -> None:
        focus, depth = False, 0
        while (tok := self.peek()) is not None:
            if tok.key in _FLAGS:
                self.flags.setdefault(_FLAGS[tok.key], tok.text)
            elif tok.key in _FOCUS:
                focus, self.focus_word = True, tok.text
            elif tok.key in ("(", ")", ","):
                depth += {"(": 1, ")": -1, ",": 0}[tok.key]
                focus = focus and tok.key == "("
                if depth < 0:
                    _fail(self.text, ")", "ohne öffnende Klammer")
            elif tok.key in _FILLERS or (tok.key == "." and self.i == len(self.toks) - 1):
                pass
            elif tok.key in ("ab", "bis", "von") or self.is_atom():
                self.groups.append((focus, self.chain()))
                continue
            else:
                _fail(self.text, tok.text)
            self.i += 1
        if depth:
            _fail(self.text, "(", "ohne schließende Klammer")

    def chain(self) -> list[_Expr]:
        begin = self.i
        prefix = self.take().key if self.peek() and self.peek().key in ("ab", "bis", "von") else ""
        seq: list[_Spec | str] = list(self.unit())
        while (c := self.conn()) and self.is_atom(1):
            self.take()
            seq += [c, *self.unit()]
        exprs = self.fold(seq)
        if prefix and (
            len(exprs) != 1
            or (prefix == "von") != (exprs[0][0] == "range")
            or (prefix == "bis" and exprs[0][0] == "range")
        ):
            _fail(self.text, self.part(begin), "ist kein eindeutiger Zeitraum")
        if prefix in ("ab", "bis") and exprs[0][0] == "one":
            exprs = [("from" if prefix == "ab" else "until", exprs[0][1], None)]
        return exprs

    def fold(self, seq: list[_Spec | str]) -> list[_Expr]:
        groups: list[list[_Spec]] = [[seq[0]]]  # type: ignore[list-item]
        for conn, spec in zip(seq[1::2], seq[2::2], strict=True):
            if conn == "und":
                groups.append([spec])  # type: ignore[list-item]
            else:
                groups[-1].append(spec)  # type: ignore[arg-type]
        for g in groups:
            if len(g) > 2:
                _fail(self.text, self.text[g[0].begin : g[-1].stop], "ist kein eindeutiger Zeitraum")
        return [("range", g[0], g[1]) if len(g) == 2 else ("one", g[0], None) for g in groups]

    def spec(self, kind: str, n: int, m: int, year: int | None, begin: int) -> _Spec:
        spec = _Spec(kind, n, m, year, self.toks[begin].start, self.toks[self.i - 1].end)
        self.specs.append(spec)
        return spec

    def year(self) -> int | None:
        tok, nxt = self.peek(), self.peek(1)
        if tok and tok.kind == "year":
            return self.take().value[0]
        if tok and tok.key == "/" and nxt and nxt.kind == "year":
            self.take()
            return self.take().value[0]
        return None

    def number(self, kinds: tuple[str, ...] = ("num",)) -> int:
        tok = self.take()
        if tok.kind not in kinds:
            _fail(self.text, tok.text)
        return int(tok.value[0] or 0)

    def unit(self) -> list[_Spec | str]:
        """One atom, or ordinals sharing a noun: "III. und IV. Quartal", "12.-14.09."."""
        tok = self.peek()
        if tok is None or tok.kind != "ord":
            return [self.atom()]
        begin, ords, conns = self.i, [self.take()], []
        while (c := self.conn()) and (nxt := self.peek(1)) and nxt.kind == "ord":
            self.take()
            conns.append(c)
            ords.append(self.take())
        noun, last = self.peek(), None
        if noun and noun.key in _UNIT_NOUNS:
            self.take()
            kind, m = _UNIT_NOUNS[noun.key], 0
        elif noun and noun.key in _MONTHS and not any(o.value[1] for o in ords):
            self.take()
            kind, m = "day", _MONTHS[noun.key]
        elif (c := self.conn()) and (nxt := self.peek(1)) and nxt.kind == "date" and not any(o.value[1] for o in ords):
            self.take()
            conns.append(c)
            last = self.atom()
            kind, m = "day", last.m
        else:
            _fail(self.text, ords[-1].text)
        year = self.year() if last is None else last.year
        specs = [self.spec(kind, int(o.value[0] or 0), m, None, begin) for o in ords]
        if last is not None:  # keep text order for the year fill
            self.specs.append(self.specs.pop(-1 - len(ords)))
            specs.append(last)
        specs[-1].year = year
        seq: list[_Spec | str] = [specs[0]]
        for c, s in zip(conns, specs[1:], strict=True):
            seq += [c, s]
        return seq

    def atom(self) -> _Spec:
        begin, tok = self.i, self.take()
        key = tok.key
        if tok.kind in ("iso", "date"):
            d, m, y = tok.value
            return self.spec("day", int(d or 0), int(m or 0), y or self.year(), begin)
        if key in _MONTHS:
            return self.spec("month", _MONTHS[key], 0, self.year(), begin)
        if key in _SEASONS:
            return self.season(_SEASONS[key], begin)
        if key in ("kw", "kalenderwoche", "q", "quartal"):
            n = self.number(("num", "ord") if key == "quartal" else ("num",))
            return self.spec("week" if key[0] == "k" else "quarter", n, 0, self.year(), begin)
        if tok.kind == "num" and (self.peek() or tok).key == "/" and (self.peek(1) or tok).kind == "year":
            return self.spec("month", int(tok.value[0] or 0), 0, self.year(), begin)
        if tok.kind == "year":
            return self.spec("year", 1, 0, tok.value[0], begin)
        if key in _THIRDS:
            inner = self.atom()
            self.specs.pop()
            if inner.kind not in ("month", "year"):
                _fail(self.text, self.part(begin))
            kind = "third" if inner.kind == "month" else "yearpart"
            return self.spec(kind, _THIRDS[key], inner.n, inner.year, begin)
        _fail(self.text, tok.text)

    def season(self, month: int, begin: int) -> _Spec:
        year = self.year()
        tok, nxt = self.peek(), self.peek(1)
        if month == 12 and year and tok and tok.key == "/" and nxt and nxt.kind in ("num", "year"):
            self.take()
            if self.take().value[0] not in (year + 1, (year + 1) % 100):
                _fail(self.text, self.part(begin), "ist kein Winter")
        return self.spec("season", month, 0, year, begin)


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
