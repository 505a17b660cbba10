"""The office's naming conventions that the plan text leaves implicit, in one place.

* **Level**: a Gremium is ``überbezirklich`` (Land Berlin) when its name contains one of
  :data:`LAND_KEYWORDS` — ``Landes…`` bodies (Landesbeirat, Landesarbeitsgemeinschaft,
  Landesrahmenprogramm), anything held by the Senate administration (``SenASGIVA``,
  ``Senat…``), rounds of ``aller Bezirke`` and the ``Bezirkskoordinatoren``-meetings of a
  Land programme; everything else is ``bezirklich``.
* **Parent**: a name suffix in parentheses that names another Gremium (or an abbreviation
  of :data:`PARENT_ALIASES`, e.g. ``(Beirat PartInt)``) makes that Gremium the parent; the
  suffix is not part of the stored name. Other parentheses (``(MSD, MBE, JMD)``) stay.
* **Task → Gremium**: an ongoing task links to the Gremium whose name its bold title
  contains (genitive ``-es`` ignored: ``des Beirates für …`` finds ``Beirat für …``) or that
  :data:`TASK_ALIASES` names (``LAF-Jour fixe`` → ``Jour fixe der LAF-Unterkünfte``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from calsvc.models import Level

__all__ = [
    "LAND_KEYWORDS",
    "PARENT_ALIASES",
    "TASK_ALIASES",
    "gremium_level",
    "split_parent",
    "task_gremium",
]

LAND_KEYWORDS: tuple[str, ...] = ("Landes", "Senat", "SenASGIVA", "aller Bezirke", "Bezirkskoordinatoren", "berlinweit")
PARENT_ALIASES: Mapping[str, str] = {"Beirat PartInt": "Beirat für Partizipation und Integration"}
TASK_ALIASES: Mapping[str, str] = {
    "LAF-Jour fixe": "Jour fixe der LAF-Unterkünfte",
    # Not a table Gremium; linked once someone creates it (the demo does) for its meetings.
    "Dienstberatungen Integration": "Dienstberatung Integration",
}

_SUFFIX = re.compile(r"^(?P<name>.+?)\s*\((?P<parent>[^()]+)\)\s*$")


def gremium_level(name: str) -> Level:
    """``überbezirklich`` for Land-level bodies per :data:`LAND_KEYWORDS`, else ``bezirklich``."""
    return Level.UEBERBEZIRKLICH if any(k in name for k in LAND_KEYWORDS) else Level.BEZIRKLICH


def split_parent(name: str, names: Iterable[str]) -> tuple[str, str | None]:
    """``AG Frauen und Integration (Beirat PartInt)`` → (``AG Frauen …``, ``Beirat für …``)."""
    m = _SUFFIX.match(name)
    if not m:
        return name, None
    suffix = m.group("parent").strip()
    parent = PARENT_ALIASES.get(suffix) or (suffix if suffix in set(names) else None)
    return (m.group("name"), parent) if parent else (name, None)


def _words(text: str) -> list[str]:
    words = re.findall(r"[\w:-]+", text.lower())
    return [w[:-2] if len(w) > 6 and w.endswith("es") else w for w in words]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def task_gremium(title: str, gremien: Mapping[str, str]) -> str | None:
    """The slug of the Gremium a task title names (longest name wins), given ``{name: slug}``."""
    for alias, name in TASK_ALIASES.items():
        if alias in title and name in gremien:
            return gremien[name]
    words = _words(title)
    hits = [name for name in gremien if _contains(words, _words(name))]
    return gremien[max(hits, key=len)] if hits else None
