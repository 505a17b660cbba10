"""The vocabulary and tokenizer of Terminierung texts; every character must be understood."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NoReturn

from calsvc.errors import FuzzyDateError
from calsvc.german import MONTHS, ROMAN_QUARTERS

from .model import YEAR_MAX, YEAR_MIN

# --- vocabulary -----------------------------------------------------------------------

_MONTH_SPELLINGS = (
    "jan jänner",
    "feb febr",
    "mär mrz maerz",
    "apr",
    "",
    "jun",
    "jul",
    "aug",
    "sep sept",
    "okt",
    "nov",
    "dez",
)
_MONTHS = {
    k: i
    for i, (name, other) in enumerate(zip(MONTHS, _MONTH_SPELLINGS, strict=True), 1)
    for k in [name.lower(), *other.split()]
}
_SEASONS = {"frühjahr": 3, "frühling": 3, "sommer": 6, "herbst": 9, "winter": 12}
_THIRDS = {"anfang": 0, "mitte": 1, "ende": 2}
_ROMAN = {r.lower(): i for i, r in enumerate(ROMAN_QUARTERS, 1)}
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
