"""The facts the plan states before its tables: plan year, the posts and who holds them.

The intro sentence (``… der Integrationsbeauftragten (IntB), der Koordinatorin für
Flüchtlingsfragen (Int1) und perspektivisch der Koordinator: in für Flüchtlingsfragen
(Int2 (V))``) gives titles and vacancies; the letterhead (``IntB, Int1`` over
``Bearbeiter: innen: Irina Warkentin, Anne Jerzak``) gives names, matched in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .codes import KNOWN_POSTS, UnknownPersonCodeError, read_person_codes
from .document import PlanProblem
from .text import clean_cell

__all__ = ["PlanHeader", "read_header"]

_YEAR = re.compile(r"^\s*Arbeitsplan\b.*\bfür\s+(?:das\s+Jahr\s+)?(\d{4})\s*$")
_STAFF = re.compile(r"^\s*Bearbeiter\s*:?\s*(?:innen|in)?\s*:\s*(?P<names>.+)$")
_ARTICLE = r"\b(?:der|des|dem|die)\s+"
_POST = re.compile(
    _ARTICLE + r"(?P<title>(?:(?!" + _ARTICLE + r")[^(),])+?)\s*\((?P<code>[A-Za-z]{2,8}\s?\d?)\s*(?P<v>\(V\))?\)"
)
_CODE_IN_PARENS = re.compile(r"\((?P<code>[A-Za-z]{2,8}\s?\d?)\s*(?:\(V\))?\)")


@dataclass(slots=True)
class PlanHeader:
    """Year, post titles and vacancies from the intro, names from the letterhead."""

    year: int | None = None
    titles: dict[str, str] = field(default_factory=dict)
    vacant: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)
    problems: list[PlanProblem] = field(default_factory=list)


def read_header(lines: Sequence[str]) -> PlanHeader:
    """Read the lines before section 1 (1-based numbering is the caller's ``lines`` index + 1)."""
    header = PlanHeader()
    known = {c.lower() for c in KNOWN_POSTS}
    for index, line in enumerate(lines):
        if header.year is None and (m := _YEAR.match(line)):
            header.year = int(m.group(1))
        elif m := _STAFF.match(clean_cell(line)):
            _read_staff(header, index, lines, m.group("names"))
        elif not header.titles and any(re.sub(r"\s", "", c).lower() in known for c in _CODE_IN_PARENS.findall(line)):
            _read_intro(header, clean_cell(line))
    return header


def _read_intro(header: PlanHeader, sentence: str) -> None:
    for m in _POST.finditer(sentence):
        code = re.sub(r"\s", "", m.group("code"))
        code = next((c for c in KNOWN_POSTS if c.lower() == code.lower()), code)
        header.titles[code] = _nominative(m.group("title").strip())
        if m.group("v"):
            header.vacant.add(code)


def _nominative(title: str) -> str:
    """The intro names posts in the genitive: ``der Integrationsbeauftragten`` → ``…beauftragte``."""
    first, _, rest = title.partition(" ")
    if first.endswith("ten"):
        first = first[:-1]
    return f"{first} {rest}".strip()


def _read_staff(header: PlanHeader, index: int, lines: Sequence[str], names_text: str) -> None:
    names = [n.strip() for n in names_text.split(",") if n.strip()]
    codes_line = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
    try:
        codes = [ref.code for ref in read_person_codes(codes_line, [*KNOWN_POSTS, *header.titles])]
    except UnknownPersonCodeError:
        codes = []
    if len(codes) != len(names):
        header.problems.append(
            PlanProblem(index + 1, lines[index], "Namen der Bearbeiter:innen passen nicht zu den Kürzeln darüber")
        )
        return
    header.names.update(zip(codes, names, strict=True))
