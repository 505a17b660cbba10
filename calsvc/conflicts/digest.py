"""Conflicts worth reading: one entry per clash, and a vacant post as one hint instead of one line per date.

Pure: takes the sweep's conflicts (already sorted) and returns :class:`Entry` items. Conflicts
that involve the same occurrences are one entry — the overlap and the missing lead of the same
two meetings, or a holiday and an absence on the same date — with every reason listed. The
per-date notes of a vacant post are folded into a :class:`VacancyHint` (built by the service
from the memberships, so a vacancy shows even before any meeting exists).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from calsvc.schedule.specs import Occurrence

from .sweep import KIND_LABELS, SEVERITY_LABELS, Conflict

__all__ = ["Ack", "Entry", "VacancyHint", "entry_key", "group", "is_vacancy_note", "reaches", "with_key"]

_RANK = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Ack:
    """Who marked an entry "zur Kenntnis genommen", and when (naive UTC)."""

    actor: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """One clash or one problem date: its reasons (conflicts), the people and the dates involved."""

    day: date
    severity: str
    conflicts: tuple[Conflict, ...]
    key: str = ""
    acknowledged: Ack | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        """The reasons, each once, in the sweep's order."""
        return tuple(dict.fromkeys(c.kind for c in self.conflicts))

    @property
    def persons(self) -> tuple[str, ...]:
        """The people concerned, each once."""
        return tuple(dict.fromkeys(c.person for c in self.conflicts if c.person))

    @property
    def occurrences(self) -> tuple[Occurrence, ...]:
        """The dates involved, each once, earliest first."""
        found = {o.key: o for c in self.conflicts for o in c.occurrences}
        return tuple(sorted(found.values(), key=lambda o: (o.start, o.key)))

    @property
    def title(self) -> str:
        """``Überschneidung + Leitung fehlt`` for a heading."""
        return " + ".join(KIND_LABELS[k] for k in self.kinds)

    def to_dict(self, link: Callable[[Occurrence], str | None] | None = None) -> dict[str, Any]:
        """JSON-ready (API, CLI ``--json``); ``link`` adds each date's edit page."""
        return {
            "key": self.key,
            "day": self.day.isoformat(),
            "severity": self.severity,
            "severity_label": SEVERITY_LABELS[self.severity],
            "kinds": list(self.kinds),
            "title": self.title,
            "persons": list(self.persons),
            "reasons": [c.message for c in self.conflicts],
            "occurrences": [
                {"key": o.key, "title": o.title, "start": o.start.isoformat(), "end": o.end.isoformat()}
                | ({"edit": link(o)} if link else {})
                for o in self.occurrences
            ],
            "acknowledged": None
            if self.acknowledged is None
            else {"by": self.acknowledged.actor, "at": self.acknowledged.at.isoformat() + "Z"},
        }


@dataclass(frozen=True, slots=True)
class VacancyHint:
    """A vacant post with the Gremien it belongs to or leads: one hint, not one line per meeting."""

    person: str
    member_of: tuple[str, ...]
    leads: tuple[str, ...]
    dates: int = 0
    key: str = ""
    acknowledged: Ack | None = None
    occurrences: tuple[Occurrence, ...] = field(default=(), repr=False)

    @property
    def severity(self) -> str:
        """Critical when the post leads a Gremium (its meetings have no lead), else a note."""
        return "critical" if self.leads else "info"

    @property
    def message(self) -> str:
        """``Int2 ist unbesetzt und Mitglied in 7 Gremien; leitet „LAF-Jour fixe“ – …``."""
        count = len(self.member_of)
        text = f"{self.person} ist unbesetzt und Mitglied in {count} Gremi{'um' if count == 1 else 'en'}"
        if self.leads:
            names = ", ".join(f"„{name}“" for name in self.leads)
            text += f"; leitet {names} – diese Sitzungen haben keine Leitung"
        if self.dates:
            text += f" ({self.dates} Termin{'' if self.dates == 1 else 'e'} im Zeitraum)"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "key": self.key,
            "person": self.person,
            "severity": self.severity,
            "member_of": list(self.member_of),
            "leads": list(self.leads),
            "dates": self.dates,
            "message": self.message,
            "acknowledged": None
            if self.acknowledged is None
            else {"by": self.acknowledged.actor, "at": self.acknowledged.at.isoformat() + "Z"},
        }


def reaches(severity: str, minimum: str | None) -> bool:
    """True when ``severity`` is ``minimum`` or worse (``None``: everything counts)."""
    return minimum is None or _RANK[severity] <= _RANK.get(minimum, 2)


def is_vacancy_note(conflict: Conflict, vacant: Mapping[str, Any]) -> bool:
    """A per-date note that only says a vacant post is expected (also as the lead of that one date)."""
    if conflict.person not in vacant:
        return False
    return conflict.kind == "vacancy" or (conflict.kind == "lead_missing" and len(conflict.occurrences) == 1)


def group(conflicts: Iterable[Conflict]) -> list[Entry]:
    """One entry per set of occurrences involved, in the order of each entry's first conflict."""
    entries: dict[frozenset[str], list[Conflict]] = {}
    for conflict in conflicts:
        entries.setdefault(frozenset(o.key for o in conflict.occurrences), []).append(conflict)
    found: list[Entry] = []
    for items in entries.values():
        severity = min((c.severity for c in items), key=_RANK.__getitem__)
        found.append(Entry(day=items[0].day, severity=severity, conflicts=tuple(items)))
    return found


def entry_key(entry: Entry, versions: Mapping[str, str]) -> str:
    """A key that changes when either meeting changes: occurrence keys, times, versions, reasons, people."""
    parts = [f"{o.key}|{o.start.isoformat()}|{o.end.isoformat()}|{versions.get(o.key, '')}" for o in entry.occurrences]
    parts += sorted(entry.kinds) + sorted(entry.persons)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def with_key(entry: Entry, versions: Mapping[str, str], acks: Mapping[str, Ack]) -> Entry:
    """The entry with its key and, if someone acknowledged exactly this state, the acknowledgement."""
    key = entry_key(entry, versions)
    return replace(entry, key=key, acknowledged=acks.get(key))
