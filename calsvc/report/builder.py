"""Gather the quarterly Abarbeitungsstand from the database into :class:`QuarterReport`.

Meetings come from the one occurrence engine (cancelled ones included), activities and their
labels from the schedule store, so the report never disagrees with feeds and agenda.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from calsvc.models import ActivityProgress, Gremium, PlanImport
from calsvc.schedule.engine import expand
from calsvc.schedule.specs import ActivitySpec, Occurrence
from calsvc.schedule.walltime import BERLIN

from .changes import change_sentences, plan_entries
from .history import activities_as_of, series_as_of
from .model import ActivityRow, GremiumRow, MeetingRow, MeetingState, PlanChange, QuarterReport
from .quarter import Quarter

__all__ = ["build_quarter_report", "is_due_in", "is_overdue", "meeting_state", "stand_moment", "status_at"]

CLOSED = ("erledigt", "entfallen")
_KIND_LABELS = {"persons": "Personen", "gremien": "Gremien", "activities": "Aktivitäten",
                "ongoing_tasks": "Laufende Tätigkeiten"}  # fmt: skip


def build_quarter_report(session: Session, year: int, quarter: int, *, today: date | None = None) -> QuarterReport:
    """The report of plan year ``year`` at the end of its quarter ``quarter`` (1..4)."""
    q = Quarter(year, quarter)
    now = datetime.now(BERLIN)
    today = today or now.date()
    moment = stand_moment(min(today, q.last_day))
    meetings = expand(series_as_of(session, moment), [], q.first_day, q.end, include_cancelled=True)
    return QuarterReport(
        quarter=q,
        plan_year=year,
        today=today,
        generated_at=now,
        activities=tuple(_activity_rows(session, q, today, moment)),
        gremien=tuple(_gremium_rows(session, meetings, today)),
        changes=tuple(sorted((*_audit_changes(session, q), *_import_changes(session, q)), key=lambda c: c.at)),
        has_example_meetings=any(o.is_example for o in meetings),
    )


# --- activities -------------------------------------------------------------------------


def stand_moment(day: date) -> datetime:
    """The end of the report's "Stand" day in Berlin as naive UTC (how audit times are stored)."""
    local = datetime.combine(day + timedelta(days=1), datetime.min.time(), BERLIN)
    return local.astimezone(UTC).replace(tzinfo=None)


def _activity_rows(session: Session, q: Quarter, today: date, moment: datetime) -> Iterable[ActivityRow]:
    """The plan year's activities as they stood at ``moment``, rebuilt from the audit trail."""
    for spec, row in activities_as_of(session, q.year, moment):
        status, latest = status_at(spec.status, row.progress if row else (), min(today, q.last_day))
        yield ActivityRow(
            number=spec.number,
            title=spec.title,
            responsible=spec.responsible_codes,
            terminierung=spec.terminierung,
            period_label=spec.label,
            status=status,
            status_day=latest.day if latest else None,
            note=latest.note if latest else "",
            note_author=latest.author if latest else None,
            overdue=is_overdue(spec, status, q, today),
            due_next_quarter=status not in CLOSED and is_due_in(spec, q.next()),
            ongoing=spec.ongoing,
            tentative=spec.tentative,
            unscheduled=spec.unscheduled,
            carried_from_year=spec.carried_from_year,
        )


def status_at(
    current: str, progress: Iterable[ActivityProgress], last_day: date
) -> tuple[str, ActivityProgress | None]:
    """The status on ``last_day`` and the latest dated note up to it.

    Without any progress note the activity's own status counts; when all notes are later,
    the activity was still ``geplant`` then.
    """
    notes = sorted(progress, key=lambda p: (p.day, p.id or 0))
    if not notes:
        return current, None
    earlier = [p for p in notes if p.day <= last_day]
    if not earlier:
        return "geplant", None
    return earlier[-1].status, earlier[-1]


def is_overdue(spec: ActivitySpec, status: str, q: Quarter, today: date) -> bool:
    """True when every (non-focus) period ended by the quarter's end (and before today) but the
    activity is neither done nor dropped; a ``fortlaufend`` activity goes on, so it is never overdue."""
    main = [p for p in spec.periods if not p.focus]
    if status in CLOSED or spec.unscheduled or not main or spec.ongoing:
        return False
    last = max(p.end for p in main)
    return last <= q.last_day and last < today


def is_due_in(spec: ActivitySpec, q: Quarter) -> bool:
    """True when a named period of the activity starts or ends in quarter ``q``; an ongoing one
    is due when it starts (it has no end to be due at)."""
    if spec.unscheduled:
        return False
    named = [p for p in spec.periods if not p.focus] or spec.periods
    return any(q.contains(p.start) or (not spec.ongoing and q.contains(p.end)) for p in named)


# --- Gremien ----------------------------------------------------------------------------


def meeting_state(occurrence: Occurrence, today: date) -> MeetingState:
    """abgesagt, verlegt, stattgefunden (before today) or geplant (today or later)."""
    if occurrence.cancelled:
        return "abgesagt"
    if occurrence.moved:
        return "verlegt"
    return "stattgefunden" if occurrence.first_day < today else "geplant"


def _gremium_rows(session: Session, meetings: list[Occurrence], today: date) -> Iterable[GremiumRow]:
    by_slug: dict[str, list[Occurrence]] = {}
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    for occurrence in meetings:
        slug = occurrence.gremium_slug or f"serie-{occurrence.source_id}"
        by_slug.setdefault(slug, []).append(occurrence)
        names.setdefault(slug, (occurrence.gremium_name or occurrence.title, occurrence.lead_codes))
    query = select(Gremium).options(selectinload(Gremium.memberships)).order_by(Gremium.position, Gremium.name)
    for gremium in session.scalars(query):
        names.setdefault(gremium.slug, (gremium.name, tuple(p.code for p in gremium.leads)))
    for slug, (name, leads) in names.items():
        rows = tuple(_meeting_row(o, today) for o in by_slug.get(slug, ()))
        yield GremiumRow(slug=slug, name=name, leads=leads, meetings=rows)


def _meeting_row(occurrence: Occurrence, today: date) -> MeetingRow:
    state = meeting_state(occurrence, today)
    original = occurrence.recurrence_id if state == "verlegt" and occurrence.recurrence_id != occurrence.start else None
    return MeetingRow(
        start=occurrence.start,
        title=occurrence.title,
        state=state,
        original_start=original,
        location=occurrence.location,
        note=occurrence.note,
        is_example=occurrence.is_example,
    )


# --- changes to the plan ----------------------------------------------------------------


def _utc_window(q: Quarter) -> tuple[datetime, datetime]:
    """The quarter's Berlin-time bounds as naive UTC (how audit and import times are stored)."""
    lo = datetime.combine(q.first_day, datetime.min.time(), BERLIN).astimezone(UTC).replace(tzinfo=None)
    hi = datetime.combine(q.end, datetime.min.time(), BERLIN).astimezone(UTC).replace(tzinfo=None)
    return lo, hi


def _local(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC).astimezone(BERLIN)


def _audit_changes(session: Session, q: Quarter) -> Iterable[PlanChange]:
    """Edits in the quarter that belong to its plan year, as German sentences."""
    lo, hi = _utc_window(q)
    for sentence in change_sentences(session, plan_entries(session, lo, hi)):
        if sentence.plan_year == q.year:
            yield PlanChange(at=sentence.at, source="Bearbeitung", actor=sentence.actor, text=sentence.text)


def _import_changes(session: Session, q: Quarter) -> Iterable[PlanChange]:
    lo, hi = _utc_window(q)
    query = select(PlanImport).where(
        PlanImport.imported_at >= lo, PlanImport.imported_at < hi, PlanImport.plan_year == q.year
    )
    for row in session.scalars(query.order_by(PlanImport.imported_at, PlanImport.id)):
        summary = _json(row.summary)
        counts = []
        for kind, label in _KIND_LABELS.items():
            numbers = summary.get(kind)
            if isinstance(numbers, dict):
                parts = [
                    f"{numbers.get(k, 0)} {word}"
                    for k, word in (("created", "neu"), ("updated", "geändert"), ("removed", "entfernt"))
                ]
                counts.append(f"{label}: {', '.join(parts)}")
        text = f"Arbeitsplan {row.plan_year} importiert aus {row.source}"
        if counts:
            text += " (" + "; ".join(counts) + ")"
        differences = summary.get("differences")
        details = tuple(str(d) for d in differences) if isinstance(differences, list) else ()
        yield PlanChange(at=_local(row.imported_at), source="Plan-Import", actor="", text=text, details=details)


def _json(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
