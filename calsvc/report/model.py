"""The quarterly report (Abarbeitungsstand) as plain data: every renderer reads only this."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from .quarter import Quarter

__all__ = [
    "MEETING_STATES",
    "STATUSES",
    "ActivityRow",
    "GremiumRow",
    "MeetingRow",
    "MeetingState",
    "PlanChange",
    "QuarterReport",
]

STATUSES = ("geplant", "in Arbeit", "erledigt", "verschoben", "entfallen")
MeetingState = Literal["stattgefunden", "geplant", "verlegt", "abgesagt"]
MEETING_STATES: tuple[MeetingState, ...] = ("stattgefunden", "geplant", "verlegt", "abgesagt")


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """One activity of plan section 3 as it stood at the end of the quarter."""

    number: int
    title: str
    responsible: tuple[str, ...]
    terminierung: str
    period_label: str
    status: str
    status_day: date | None = None
    note: str = ""
    note_author: str | None = None
    overdue: bool = False
    due_next_quarter: bool = False
    ongoing: bool = False
    tentative: bool = False
    unscheduled: bool = False
    carried_from_year: int | None = None

    @property
    def responsible_text(self) -> str:
        """``IntB, Int1``."""
        return ", ".join(self.responsible)


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One meeting of a Gremium in the quarter, as the occurrence engine returned it."""

    start: datetime
    title: str
    state: MeetingState
    original_start: datetime | None = None
    location: str = ""
    note: str = ""
    is_example: bool = False


@dataclass(frozen=True, slots=True)
class GremiumRow:
    """A Gremium's meetings in the quarter, counted by state, with the post(s) leading it."""

    slug: str
    name: str
    leads: tuple[str, ...]
    meetings: tuple[MeetingRow, ...] = ()

    @property
    def counts(self) -> Counter[str]:
        """Meetings per state (``stattgefunden``, ``geplant``, ``verlegt``, ``abgesagt``)."""
        return Counter(m.state for m in self.meetings)

    @property
    def held(self) -> int:
        """Meetings that took place at their planned time."""
        return self.counts["stattgefunden"]

    @property
    def planned(self) -> int:
        """Meetings still ahead (relative to the report day)."""
        return self.counts["geplant"]

    @property
    def moved(self) -> int:
        """Meetings moved to another date or time."""
        return self.counts["verlegt"]

    @property
    def cancelled(self) -> int:
        """Meetings that were called off."""
        return self.counts["abgesagt"]

    @property
    def total(self) -> int:
        """All meetings in the quarter, cancelled ones included."""
        return len(self.meetings)

    @property
    def leads_text(self) -> str:
        """``IntB`` or ``–`` when no lead is recorded."""
        return ", ".join(self.leads) or "–"

    @property
    def changed_meetings(self) -> tuple[MeetingRow, ...]:
        """The moved and cancelled meetings (the report names each)."""
        return tuple(m for m in self.meetings if m.state in ("verlegt", "abgesagt"))


@dataclass(frozen=True, slots=True)
class PlanChange:
    """A change to the plan in the quarter: an edit (audit trail) or a plan re-import."""

    at: datetime
    source: Literal["Bearbeitung", "Plan-Import"]
    actor: str
    text: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QuarterReport:
    """The Abarbeitungsstand of one plan year at the end of one quarter."""

    quarter: Quarter
    plan_year: int
    today: date
    generated_at: datetime
    activities: tuple[ActivityRow, ...] = ()
    gremien: tuple[GremiumRow, ...] = ()
    changes: tuple[PlanChange, ...] = ()
    has_example_meetings: bool = field(default=False)
    issued_at: datetime | None = None  # set on the version frozen by "Bericht abschließen"
    issued_by: str | None = None

    @property
    def as_of(self) -> date:
        """The day the statuses describe: the quarter's last day, or today while it runs."""
        return min(self.today, self.quarter.last_day)

    @property
    def title(self) -> str:
        """``Abarbeitungsstand Arbeitsplan 2024 – II. Quartal 2024``."""
        return f"Abarbeitungsstand Arbeitsplan {self.plan_year} – {self.quarter.label}"

    @property
    def filename_stem(self) -> str:
        """``abarbeitungsstand-2024-Q2``."""
        return f"abarbeitungsstand-{self.quarter.code}"

    @property
    def overdue(self) -> tuple[ActivityRow, ...]:
        """Activities whose period has passed without being done."""
        return tuple(a for a in self.activities if a.overdue)

    @property
    def due_next_quarter(self) -> tuple[ActivityRow, ...]:
        """Activities due in the following quarter."""
        return tuple(a for a in self.activities if a.due_next_quarter)

    @property
    def status_counts(self) -> dict[str, int]:
        """How many activities have each status, in the plan's order."""
        counts = Counter(a.status for a in self.activities)
        return {status: counts[status] for status in STATUSES}

    @property
    def gremien_with_meetings(self) -> tuple[GremiumRow, ...]:
        """Gremien with at least one meeting in the quarter."""
        return tuple(g for g in self.gremien if g.total)

    @property
    def gremien_without_meetings(self) -> tuple[GremiumRow, ...]:
        """Gremien without any recorded meeting in the quarter."""
        return tuple(g for g in self.gremien if not g.total)

    @property
    def meeting_totals(self) -> dict[str, int]:
        """Meetings per state over all Gremien, plus ``gesamt``."""
        totals: Counter[str] = Counter()
        for gremium in self.gremien:
            totals.update(gremium.counts)
        return {**{state: totals[state] for state in MEETING_STATES}, "gesamt": sum(totals.values())}
