"""Person codes as the plan spells them (loosely) and the posts they stand for.

``Int 1`` = ``Int1``; ``Soz L`` = ``SozL``; ``Int1/ Int2`` and ``Int1 / Int2`` name both;
``IntB (L)`` marks the lead of a Gremium, ``Int2 (V)`` a vacant post. Matching ignores
spaces and case, the result is the canonical spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from calsvc.errors import ValidationError

__all__ = [
    "KNOWN_POSTS",
    "CodeRef",
    "Post",
    "UnknownPersonCodeError",
    "normalize_person_codes",
    "read_person_codes",
]


@dataclass(frozen=True, slots=True)
class Post:
    """A post's default title, used where the plan itself does not spell one out."""

    title: str
    external: bool = False


# The posts of the Integrationsbüro and the externals its plans name; a plan's intro
# sentence may add codes (``… (Int3)``) and overrides these titles.
KNOWN_POSTS: Mapping[str, Post] = {
    "IntB": Post("Integrationsbeauftragte"),
    "Int1": Post("Koordinatorin für Flüchtlingsfragen"),
    "Int2": Post("Koordinator:in für Flüchtlingsfragen"),
    "BA": Post("Büroassistenz"),
    "SozL": Post("Leitung Sozialamt", external=True),
}


class UnknownPersonCodeError(ValidationError):
    """A cell names a code that is no known post: reported, never dropped silently."""

    code = "unknown_person"

    def __init__(self, codes: Iterable[str], cell: str) -> None:
        self.codes = tuple(codes)
        self.cell = cell
        listed = ", ".join(f"„{c}“" for c in self.codes)
        super().__init__(f"Unbekanntes Personenkürzel {listed} in „{cell.strip()}“", field="zustaendigkeit")


@dataclass(frozen=True, slots=True)
class CodeRef:
    """One code in a cell with its marks."""

    code: str
    lead: bool = False
    vacant: bool = False


_SEPARATORS = re.compile(r"\s*(?:[,/;+&]|\bund\b)\s*")
_MARK = re.compile(r"\(\s*([LlVv])\s*\)")


def read_person_codes(cell: str, known: Iterable[str] = KNOWN_POSTS) -> list[CodeRef]:
    """All codes of a cell with their ``(L)``/``(V)`` marks; raises on any unknown code."""
    canonical = {code.lower(): code for code in known}
    refs: list[CodeRef] = []
    unknown: list[str] = []
    for token in _SEPARATORS.split(cell.strip()):
        if not token:
            continue
        marks = {m.upper() for m in _MARK.findall(token)}
        bare = re.sub(r"\s+", "", _MARK.sub("", token))
        code = canonical.get(bare.lower())
        if code is None:
            unknown.append(token.strip())
        else:
            refs.append(CodeRef(code, lead="L" in marks, vacant="V" in marks))
    if unknown:
        raise UnknownPersonCodeError(unknown, cell)
    return refs


def normalize_person_codes(cell: str, known: Iterable[str] = KNOWN_POSTS) -> list[tuple[str, bool]]:
    """``"IntB (L), Int 1"`` → ``[("IntB", True), ("Int1", False)]``; unknown codes raise."""
    return [(ref.code, ref.lead) for ref in read_person_codes(cell, known)]
