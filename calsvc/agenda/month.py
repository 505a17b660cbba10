"""The month agenda as plain data: weeks Monday first, meetings on their days, fuzzy activities apart.

Pure (no Flask, no database): the view passes in the occurrences from the one engine, the
holidays and the conflicts, and renders what comes back. A moved meeting also leaves a
"ghost" at its original day, so a reader who remembers the old date finds where it went.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from calsvc.schedule.bounds import YEARS
from calsvc.schedule.specs import Occurrence

__all__ = [
    "AgendaDay",
    "AgendaEntry",
    "AgendaWeek",
    "ConflictNote",
    "MonthAgenda",
    "build_month",
    "grid_bounds",
    "is_valid_month",
    "shift_month",
]

SEVERITY_ORDER = ("critical", "warning", "info")  # the conflict checker's severities, gravest first
HINT = "info"  # e.g. every meeting of a vacant post: listed, but not marked in the grid so real clashes stand out
KIND_SHORT = {  # the checker's kinds as a cell has room for them; the full reason goes in a tooltip
    "overlap": "Überschneidung",
    "holiday": "Feiertag",
    "closure": "Schließtag",
    "vacancy": "Stelle unbesetzt",
    "lead_missing": "Leitung fehlt",
}


@dataclass(frozen=True, slots=True)
class ConflictNote:
    """A conflict as the agenda shows it: its day, severity, reason and the occurrences involved."""

    day: date | None
    severity: str
    message: str
    keys: tuple[str, ...] = ()
    kind: str = ""
    person: str | None = None


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One occurrence on a day (or in the band); ``ghost`` marks the old slot of a moved meeting."""

    occ: Occurrence
    ghost: bool = False
    conflicts: tuple[ConflictNote, ...] = ()

    @property
    def conflict_severity(self) -> str:
        """The gravest severity among the conflicts that warrant a mark (hints only show in details)."""
        return min((c.severity for c in self.conflicts if c.severity != HINT), key=_severity_rank, default="")

    @property
    def conflict_badges(self) -> list[tuple[str, str, str]]:
        """One ``(severity, short label, full reasons)`` per kind of real conflict, for a compact cell."""
        grouped: dict[str, list[ConflictNote]] = {}
        for note in self.conflicts:
            if note.severity != HINT:
                grouped.setdefault(note.kind, []).append(note)
        return [
            (
                min((n.severity for n in notes), key=_severity_rank),
                KIND_SHORT.get(kind, "Konflikt"),
                " ".join(n.message for n in notes),
            )
            for kind, notes in grouped.items()
        ]


@dataclass(slots=True)
class AgendaDay:
    """One cell of the grid."""

    day: date
    in_month: bool
    is_today: bool = False
    holiday: str | None = None
    closure: str | None = None
    away: tuple[str, ...] = ()  # codes of people absent that day (others see only "abwesend")
    entries: list[AgendaEntry] = field(default_factory=list)
    conflicts: list[ConflictNote] = field(default_factory=list)

    @property
    def weekend(self) -> bool:
        """Saturday or Sunday."""
        return self.day.weekday() >= 5

    @property
    def anchor(self) -> str:
        """The cell's ``id`` (the conflicts page links to it)."""
        return f"tag-{self.day:%Y-%m-%d}"


@dataclass(frozen=True, slots=True)
class AgendaWeek:
    """Seven days, Monday first, with the ISO calendar week (KW)."""

    number: int
    days: tuple[AgendaDay, ...]


@dataclass(frozen=True, slots=True)
class MonthAgenda:
    """Everything the month page shows, except filters and side lists."""

    year: int
    month: int
    weeks: tuple[AgendaWeek, ...]
    band: tuple[AgendaEntry, ...]
    conflicts: tuple[ConflictNote, ...]

    @property
    def first_day(self) -> date:
        """The 1st of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The last day of the month."""
        return shift_month(self.year, self.month, 1) - timedelta(days=1)

    @property
    def has_prev(self) -> bool:
        """Whether the month before is still one the agenda shows (not before 1990)."""
        before = shift_month(self.year, self.month, -1)
        return is_valid_month(before.year, before.month)

    @property
    def has_next(self) -> bool:
        """Whether the month after is still one the agenda shows (not after 2100)."""
        after = shift_month(self.year, self.month, 1)
        return is_valid_month(after.year, after.month)

    @property
    def serious_conflicts(self) -> list[ConflictNote]:
        """Conflicts worth a planner's attention (warnings and worse)."""
        return [c for c in self.conflicts if c.severity != HINT]

    @property
    def hints(self) -> list[ConflictNote]:
        """Mild notes (e.g. a vacant post invited), listed apart so they do not drown the conflicts."""
        return [c for c in self.conflicts if c.severity == HINT]

    @property
    def days(self) -> list[AgendaDay]:
        """The days of the month itself (not the muted neighbours), for the list view."""
        return [d for w in self.weeks for d in w.days if d.in_month]


def is_valid_month(year: int, month: int) -> bool:
    """A month the agenda can show: 1–12 in the years 1990–2100."""
    return 1 <= month <= 12 and year in YEARS


def shift_month(year: int, month: int, delta: int) -> date:
    """The 1st of the month ``delta`` months away."""
    index = year * 12 + month - 1 + delta
    return date(index // 12, index % 12 + 1, 1)


def grid_bounds(year: int, month: int) -> tuple[date, date]:
    """First (a Monday) and last (a Sunday) day of the grid around the month, both inclusive."""
    first = date(year, month, 1)
    last = shift_month(year, month, 1) - timedelta(days=1)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def build_month(
    year: int,
    month: int,
    found: Iterable[Occurrence],
    *,
    today: date,
    holidays: dict[date, str],
    closures: dict[date, str] | None = None,
    conflicts: Sequence[ConflictNote] = (),
    away: Mapping[date, Sequence[str]] | None = None,
) -> MonthAgenda:
    """Place occurrences on the grid: meetings and one-day activities on days, longer activities in the band."""
    grid_start, grid_end = grid_bounds(year, month)
    first, last = date(year, month, 1), shift_month(year, month, 1) - timedelta(days=1)
    closures = closures or {}
    by_key: dict[str, list[ConflictNote]] = {}
    cells: dict[date, AgendaDay] = {}
    day = grid_start
    while day <= grid_end:
        absent = tuple((away or {}).get(day, ()))
        cells[day] = AgendaDay(day, first <= day <= last, day == today, holidays.get(day), closures.get(day), absent)
        day += timedelta(days=1)
    for note in conflicts:
        for key in note.keys:
            by_key.setdefault(key, []).append(note)
        if not note.keys and note.day in cells:
            cells[note.day].conflicts.append(note)
    band: list[AgendaEntry] = []
    for occ in found:
        entry = AgendaEntry(occ, conflicts=tuple(by_key.get(occ.key, ())))
        if occ.kind == "activity" and occ.first_day != occ.last_day:
            if occ.first_day <= last and occ.last_day >= first:
                band.append(entry)
            continue
        for covered in _days(max(occ.first_day, grid_start), min(occ.last_day, grid_end)):
            cells[covered].entries.append(entry)
        original = occ.recurrence_id.date() if occ.moved and occ.recurrence_id else None
        if original is not None and original != occ.first_day and original in cells:
            cells[original].entries.append(AgendaEntry(occ, ghost=True))
    for cell in cells.values():
        cell.entries.sort(key=_entry_order)
    weeks = tuple(
        AgendaWeek(monday.isocalendar().week, tuple(cells[monday + timedelta(days=i)] for i in range(7)))
        for monday in _days(grid_start, grid_end, step=7)
    )
    return MonthAgenda(year, month, weeks, tuple(band), tuple(conflicts))


def _severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def _days(start: date, end: date, step: int = 1) -> list[date]:
    return [start + timedelta(days=i) for i in range(0, (end - start).days + 1, step)]


def _entry_order(entry: AgendaEntry) -> tuple[bool, object, str]:
    """All-day first, then by time; a ghost sorts by its original time."""
    occ = entry.occ
    when = occ.recurrence_id if entry.ghost and occ.recurrence_id else occ.start
    return (not occ.all_day, when.time(), occ.title)
