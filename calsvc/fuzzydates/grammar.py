"""A recursive-descent grammar over the tokens (see the package docstring for its rules)."""

from __future__ import annotations

from .tokens import (
    _ATOM_WORDS,
    _CONNS,
    _FILLERS,
    _FLAGS,
    _FOCUS,
    _MONTHS,
    _SEASONS,
    _THIRDS,
    _UNIT_NOUNS,
    _fail,
    _Spec,
    _Tok,
    _tokenize,
)

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
        ahead = self.peek()
        prefix = self.take().key if ahead and ahead.key in ("ab", "bis", "von") else ""
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
        specs = [s for s in seq[0::2] if not isinstance(s, str)]  # specs and connectors alternate
        groups: list[list[_Spec]] = [[specs[0]]]
        for conn, spec in zip(seq[1::2], specs[1:], strict=True):
            if conn == "und":
                groups.append([spec])
            else:
                groups[-1].append(spec)
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
