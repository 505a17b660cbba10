"""What a work plan says, as plain frozen rows: the parser's output and the importer's input."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ActivityRow", "GremiumRow", "OngoingTaskRow", "PersonRow", "PlanDocument", "PlanProblem"]


@dataclass(frozen=True, slots=True)
class PlanProblem:
    """A line the parser (or the importer's checks) could not read; ``line_no`` is 1-based."""

    line_no: int
    line: str
    message: str

    def format(self) -> str:
        """``Zeile 12: message`` plus the offending text, for people fixing the plan."""
        where = f"Zeile {self.line_no}" if self.line_no else "Plan"
        text = f"\n    > {self.line.strip()}" if self.line.strip() else ""
        return f"{where}: {self.message}{text}"


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A post the plan names by code (``Int2 (V)`` = vacant; ``SozL`` is outside the office)."""

    code: str
    title: str
    name: str | None = None
    vacant: bool = False
    external: bool = False


@dataclass(frozen=True, slots=True)
class OngoingTaskRow:
    """A bullet of section 1; ``title`` is its **bold** part, ``description`` the whole text."""

    position: int
    title: str
    description: str
    line_no: int
    gremium_slug: str | None = None


@dataclass(frozen=True, slots=True)
class GremiumRow:
    """A row of the section 2 table; ``members`` are ``(code, is_lead)`` in plan order."""

    position: int
    name: str
    slug: str
    level: str
    parent_name: str | None
    members: tuple[tuple[str, bool], ...]
    line_no: int

    @property
    def leads(self) -> tuple[str, ...]:
        """Codes marked ``(L)``."""
        return tuple(code for code, lead in self.members if lead)


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """A row of the section 3 table; ``terminierung`` is kept verbatim (after line joining)."""

    number: int
    title: str
    responsible: tuple[str, ...]
    terminierung: str
    line_no: int


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """Everything one plan text says, plus every line that could not be read."""

    year: int
    persons: tuple[PersonRow, ...] = ()
    ongoing_tasks: tuple[OngoingTaskRow, ...] = ()
    gremien: tuple[GremiumRow, ...] = ()
    activities: tuple[ActivityRow, ...] = ()
    problems: tuple[PlanProblem, ...] = field(default=())
    notes: tuple[str, ...] = ()  # what reading changed, e.g. control characters removed

    @property
    def lead_count(self) -> int:
        """How many ``(L)`` marks the Gremien table holds."""
        return sum(len(g.leads) for g in self.gremien)

    def person(self, code: str) -> PersonRow | None:
        """The person row for ``code``, if the plan names it."""
        return next((p for p in self.persons if p.code == code), None)
