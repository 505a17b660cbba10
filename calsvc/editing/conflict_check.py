"""The conflict review of a meeting change: which conflicts it adds, and whether it may be kept.

Every command that puts a meeting in time (create or change a series, move an occurrence, add
an extra date) applies its change, flushes, and asks a :class:`ConflictReview` before writing
its audit entry. The review checks the meeting's shape before and after as proposals against
the calendar and keeps only the conflicts the change adds (clashes with the meeting's own
occurrences, old or new, do not count). Unconfirmed conflicts raise :class:`Unconfirmed`, and
the caller's transaction rolls the change back; confirmed ones go into the audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from calsvc.conflicts.proposals import Proposal
from calsvc.conflicts.service import DEFAULT_SETTINGS, PROPOSAL_UID, ConflictSettings, check_proposal
from calsvc.conflicts.sweep import KIND_LABELS
from calsvc.errors import CalsvcError
from calsvc.models import MeetingSeries
from calsvc.schedule.specs import AttendanceSpec

from .audit import Changes
from .participants import date_persons

__all__ = ["ConflictReview", "Unconfirmed", "new_conflicts", "occurrence_proposal", "series_proposal", "summarise"]


MAX_LISTED = 5
"""Conflicts a save warning lists one by one; the rest are counted (all of them go into the audit)."""

Item = tuple[str, str | None, str]  # kind, person, German text


class Unconfirmed(CalsvcError):
    """The change would create conflicts and nobody has confirmed them yet ("Trotzdem speichern").

    ``conflicts`` is a summary to read: the counts first, then the first few, a vacant post once.
    """

    code = "meeting_conflicts"
    http_status = 409

    def __init__(self, conflicts: Sequence[str], by_kind: dict[str, int] | None = None, total: int = 0) -> None:
        super().__init__(
            "Die Änderung würde Konflikte erzeugen. Mit „confirm_conflicts“: true trotzdem speichern.",
            field="confirm_conflicts",
        )
        self.conflicts = list(conflicts)
        self.by_kind = dict(by_kind or {})
        self.total = total or len(self.conflicts)

    def to_dict(self) -> dict[str, object]:
        """The API's error body: how many of each kind, and the summary lines."""
        return {**super().to_dict(), "count": self.total, "by_kind": self.by_kind, "conflicts": self.conflicts}


def summarise(items: Sequence[Item]) -> Unconfirmed:
    """The save warning for ``items``: counts per kind, one line per vacant post, the first few others."""
    by_kind = {kind: n for kind in KIND_LABELS if (n := sum(1 for k, _, _ in items if k == kind))}
    vacant: dict[str, int] = {}
    lines: list[str] = []
    for kind, person, text in items:
        if kind == "vacancy" and person:
            vacant[person] = vacant.get(person, 0) + 1
        else:
            lines.append(text)
    lines += [f"{code} ist unbesetzt und bei {n} der Termine vorgesehen." for code, n in vacant.items()]
    counts = " · ".join(f"{KIND_LABELS[k]} {n}" for k, n in by_kind.items())
    shown = [f"{len(items)} Konflikt{'' if len(items) == 1 else 'e'}: {counts}", *lines[:MAX_LISTED]]
    if len(lines) > MAX_LISTED:
        shown.append(f"… und {len(lines) - MAX_LISTED} weitere (beim Speichern alle im Änderungsverlauf).")
    return Unconfirmed(shown, by_kind, len(items))


def series_proposal(series: MeetingSeries) -> Proposal | None:
    """The series as a proposal (None for cancelled series: they are in no calendar)."""
    if series.status == "cancelled":
        return None
    return Proposal(
        start=series.dtstart,
        duration=timedelta(minutes=series.duration_minutes),
        title=series.title,
        rrule=series.rrule,
        participants=tuple(p.person.code for p in series.participants),
        gremium=series.gremium.slug if series.gremium else None,
        location=series.location,
        attendance=tuple(
            AttendanceSpec(a.recurrence_id, a.person.code, a.present) for a in series.attendance if a.person is not None
        ),
    )


def occurrence_proposal(
    series: MeetingSeries, start: datetime, minutes: int, location: str, recurrence_id: datetime | None = None
) -> Proposal | None:
    """One (moved or extra) occurrence of ``series`` as a single-date proposal, with the people of that date."""
    base = series_proposal(series)
    if base is None:
        return None
    participants = base.participants
    if recurrence_id is not None and any(a.recurrence_id == recurrence_id for a in series.attendance):
        participants = tuple(p.code for p in date_persons(series, recurrence_id))
    return Proposal(
        start=start,
        duration=timedelta(minutes=minutes),
        title=base.title,
        participants=participants,
        gremium=base.gremium,
        location=location,
    )


def new_conflicts(
    session: Session,
    series_id: int | None,
    before: Proposal | None,
    after: Proposal | None,
    settings: ConflictSettings = DEFAULT_SETTINGS,
) -> list[str]:
    """German descriptions of the conflicts ``after`` has and ``before`` had not."""
    return [text for _, _, text in _new_items(session, series_id, before, after, settings)]


def _new_items(
    session: Session,
    series_id: int | None,
    before: Proposal | None,
    after: Proposal | None,
    settings: ConflictSettings,
) -> list[Item]:
    if after is None:
        return []
    old = _found(session, series_id, before, settings) if before else {}
    return [item for key, item in _found(session, series_id, after, settings).items() if key not in old]


def _found(
    session: Session, series_id: int | None, proposal: Proposal, settings: ConflictSettings
) -> dict[tuple[object, ...], Item]:
    found: dict[tuple[object, ...], Item] = {}
    for result in check_proposal(session, proposal, settings=settings):
        for conflict in result.conflicts:
            others = [o for o in conflict.occurrences if o.uid != PROPOSAL_UID]
            if others and all(o.kind == "meeting" and o.source_id == series_id for o in others):
                continue  # the meeting's own occurrence, old or new: the change replaces it
            key = (conflict.kind, conflict.day, conflict.person, tuple(sorted(o.key for o in others)))
            found[key] = (conflict.kind, conflict.person, f"{conflict.day:%d.%m.%Y}: {conflict.message}")
    return found


@dataclass
class ConflictReview:
    """Whether the editor accepts new conflicts (``confirm``), and which ones were accepted."""

    confirm: bool = False
    settings: ConflictSettings = DEFAULT_SETTINGS
    accepted: list[str] = field(default_factory=list)

    def check(self, session: Session, series_id: int | None, before: Proposal | None, after: Proposal | None) -> None:
        """Raise :class:`Unconfirmed` for new conflicts nobody confirmed; remember confirmed ones."""
        items = _new_items(session, series_id, before, after, self.settings)
        if items and not self.confirm:
            raise summarise(items)
        self.accepted = [text for _, _, text in items]

    def audit_note(self) -> str:
        """The audit summary's suffix when someone saved despite conflicts."""
        if not self.accepted:
            return ""
        listed = "; ".join(self.accepted[:MAX_LISTED])
        more = f"; … und {len(self.accepted) - MAX_LISTED} weitere" if len(self.accepted) > MAX_LISTED else ""
        return f" – trotz {len(self.accepted)} Konflikt(en) gespeichert: {listed}{more}"

    def audit_changes(self) -> Changes:
        """The audit changes' entry for confirmed conflicts (none when there were none)."""
        return {"conflicts_confirmed": [None, list(self.accepted)]} if self.accepted else {}
