"""What an import did (or, in a dry run, would do): counts per kind and readable differences."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["ImportReport", "KindCounts"]

_KIND_LABELS = {
    "persons": "Personen",
    "gremien": "Gremien",
    "activities": "Aktivitäten",
    "ongoing_tasks": "Laufende Tätigkeiten",
}


@dataclass(slots=True)
class KindCounts:
    """Created/updated/unchanged/removed for one kind; ``kept`` counts rows missing but kept."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0

    @property
    def changed(self) -> int:
        """How many rows this import wrote or deleted."""
        return self.created + self.updated + self.removed

    def format(self) -> str:
        """``29 neu, 0 geändert, 0 unverändert, 0 entfernt``."""
        text = f"{self.created} neu, {self.updated} geändert, {self.unchanged} unverändert, {self.removed} entfernt"
        return f"{text}, {self.kept} nicht mehr im Plan (behalten)" if self.kept else text


@dataclass(slots=True)
class ImportReport:
    """The outcome of :func:`calsvc.plan.importer.import_plan`; ``differences`` are German lines.

    A kind's first import (nothing of it in the database yet) only counts its creations;
    afterwards every created, changed, removed or kept-but-missing row gets a line.
    """

    year: int
    source: str
    sha256: str
    dry_run: bool = False
    persons: KindCounts = field(default_factory=KindCounts)
    gremien: KindCounts = field(default_factory=KindCounts)
    activities: KindCounts = field(default_factory=KindCounts)
    ongoing_tasks: KindCounts = field(default_factory=KindCounts)
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what reading the text changed (control characters)
    hints: list[str] = field(default_factory=list)  # structural problems of the plan, e.g. a vacant lead
    leads: int = 0

    @property
    def changed(self) -> bool:
        """True when the import wrote (or would write) plan data."""
        return any(self.counts(kind).changed for kind in _KIND_LABELS)

    def counts(self, kind: str) -> KindCounts:
        """The counts of ``persons``, ``gremien``, ``activities`` or ``ongoing_tasks``."""
        counts: KindCounts = getattr(self, kind)
        return counts

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary, stored with the :class:`~calsvc.models.PlanImport` row."""
        return {
            "year": self.year,
            "source": self.source,
            "sha256": self.sha256,
            "leads": self.leads,
            **{kind: asdict(self.counts(kind)) for kind in _KIND_LABELS},
            "differences": list(self.differences),
            "notes": list(self.notes),
            "hints": list(self.hints),
        }

    def format(self) -> str:
        """The report as German text for the command line."""
        lines = [f"Arbeitsplan {self.year} aus {self.source} (SHA-256 {self.sha256[:12]}…)"]
        lines += [f"  {label}: {self.counts(kind).format()}" for kind, label in _KIND_LABELS.items()]
        if self.differences:
            lines.append("Unterschiede:")
            lines += [f"  - {difference}" for difference in self.differences]
        elif not self.changed:
            lines.append("Keine Änderungen.")
        if self.hints:
            lines.append("Hinweise:")
            lines += [f"  - {hint}" for hint in self.hints]
        if self.dry_run:
            lines.append("Probelauf: nichts wurde gespeichert.")
        return "\n".join(lines)
