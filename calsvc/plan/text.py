"""Repairing text as it comes out of the published PDF: line-break hyphens and gender colons.

Hyphen rule (a letter, ``-``, white space, a letter), applied inside one cell or bullet:

* the continuation starts lower case → the hyphen was a line break inside one word, so the
  parts are joined: ``Flüchtlings- koordinator:innen`` → ``Flüchtlingskoordinator:innen``;
* the continuation starts upper case → the hyphen is real (a compound of names or nouns),
  only the space goes: ``Marzahn- Hellersdorf`` → ``Marzahn-Hellersdorf``,
  ``Willkommens- Broschüre`` → ``Willkommens-Broschüre``;
* the continuation is a conjunction (``und``, ``oder``, ``bzw.``, ``sowie``) → it is a
  suspended hyphen (Ergänzungsstrich) and stays as written: ``Vor- und Nachbereitung``.

Gender colon: the PDF breaks ``Koordinator:in`` into ``Koordinator: in``; a colon after a
lower-case letter followed by a space and ``in``/``innen…`` is rejoined
(``Expert: innenaustauschrunde`` → ``Expert:innenaustauschrunde``).
"""

from __future__ import annotations

import re

__all__ = ["clean_cell", "join_soft_hyphens", "normalize_gender_colon"]

_CONJUNCTIONS = frozenset({"und", "oder", "bzw", "sowie", "als", "noch", "wie"})
_SOFT_HYPHEN = re.compile(r"(?<=[^\W\d_])-\s+(?=([^\W\d_]+))")  # letters only: "2024- 2025" stays
_GENDER_COLON = re.compile(r"(?<=[a-zäöüß]):\s+(?=innen|in\b)")  # also "Expert: innenaustausch…"
_SPACES = re.compile(r"\s+")


def join_soft_hyphens(text: str) -> str:
    """Undo line-break hyphenation per the module's rule; real and suspended hyphens stay."""

    def repair(match: re.Match[str]) -> str:
        following = match.group(1)
        if following.lower() in _CONJUNCTIONS:
            return match.group(0)
        return "-" if following[0].isupper() else ""

    return _SOFT_HYPHEN.sub(repair, text)


def normalize_gender_colon(text: str) -> str:
    """``Koordinator: in`` → ``Koordinator:in``, ``Expert: innen`` → ``Expert:innen``."""
    return _GENDER_COLON.sub(":", text)


def clean_cell(text: str) -> str:
    """One table cell as it should be stored: single spaces, hyphens and colons repaired."""
    return normalize_gender_colon(join_soft_hyphens(_SPACES.sub(" ", text).strip()))
