"""Absences of a person and closure days of the office: validated, audited, all or nothing.

Who may do what is decided by the caller (a person manages their own absences, editors
everybody's and the closures); these commands only check the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc import inputs as t
from calsvc.errors import NotFound, ValidationError
from calsvc.models import ABSENCE_LABELS, Absence, ClosureDay, Person

from . import audit
from .schemas import AbsenceInput, ClosureInput
from .versions import check_version

__all__ = [
    "KIND_LABELS",
    "MAX_ABSENCE_DAYS",
    "absence_json",
    "absence_values",
    "absences_of",
    "create_absence",
    "create_closure",
    "delete_absence",
    "delete_closure",
]

KIND_LABELS = ABSENCE_LABELS
MAX_ABSENCE_DAYS = 366
# The audit trail is read by every logged-in user: it names when, never the kind or the note ("krank").
_AUDITED = ("person", "start", "end", "start_time", "end_time")
MAX_CLOSURE_DAYS = 31


def _check_span(start: date, end: date, most: int) -> None:
    if end < start:
        raise ValidationError("„bis“ liegt vor „von“.", field="end")
    if (end - start).days >= most:
        raise ValidationError(f"Höchstens {most} Tage auf einmal.", field="end")


def absence_json(absence: Absence, *, private: bool = True) -> dict[str, Any]:
    """An absence as the API shows it; without ``private`` only "abwesend" and the times."""
    out: dict[str, Any] = {
        "id": absence.id,
        "person": absence.person.code,
        "start": absence.start_day.isoformat(),
        "end": absence.end_day.isoformat(),
        "start_time": absence.start_time.strftime("%H:%M") if absence.start_time else None,
        "end_time": absence.end_time.strftime("%H:%M") if absence.end_time else None,
        "label": KIND_LABELS[absence.kind] if private else "abwesend",
        "version": absence.version,
    }
    if private:
        out |= {"kind": absence.kind, "note": absence.note}
    return out


def _describe(absence: Absence) -> str:
    days = f"{absence.start_day:%d.%m.%Y}"
    if absence.end_day != absence.start_day:
        days += f"–{absence.end_day:%d.%m.%Y}"
    return days


def create_absence(session: Session, actor: str, person: Person, data: Mapping[str, Any]) -> Absence:
    """A new absence of ``person``; audited (the audit names the kind, the calendar only "abwesend")."""
    absence = Absence(person=person)
    _apply(absence, t.validate(AbsenceInput, data))
    session.add(absence)
    session.flush()
    changes = {k: [None, v] for k, v in absence_json(absence).items() if k in _AUDITED}
    audit.record(session, actor, "absence", absence.id, "create",
                 f"Abwesenheit von {person.code} eingetragen: {_describe(absence)}", changes)  # fmt: skip
    return absence


def update_absence(session: Session, actor: str, absence: Absence, data: Mapping[str, Any], version: int) -> Absence:
    """Change the given fields of an absence (the others stay) if ``version`` is current; audited like its entry."""
    check_version(session, absence, "absence", version)
    current = absence_values(absence)
    before = absence_json(absence)
    _apply(absence, t.validate(AbsenceInput, {**current, **{k: v for k, v in data.items() if k in current}}))
    session.flush()
    after = absence_json(absence)
    if before == after:
        return absence
    # with the version, so that a stale edit's 409 can list what changed since (versions.changes_since)
    changes = {k: [before[k], after[k]] for k in (*_AUDITED, "version") if before[k] != after[k]}
    audit.record(session, actor, "absence", absence.id, "update",
                 f"Abwesenheit von {absence.person.code} geändert: {_describe(absence)}", changes)  # fmt: skip
    return absence


def absence_values(absence: Absence) -> dict[str, str]:
    """The absence as its form shows it (the fields of :class:`AbsenceInput`; empty: one day, all day)."""
    return {
        "kind": absence.kind,
        "start": absence.start_day.isoformat(),
        "end": absence.end_day.isoformat() if absence.end_day != absence.start_day else "",
        "start_time": absence.start_time.strftime("%H:%M") if absence.start_time else "",
        "end_time": absence.end_time.strftime("%H:%M") if absence.end_time else "",
        "note": absence.note,
    }


def _apply(absence: Absence, form: AbsenceInput) -> None:
    """Put a checked entry on ``absence``: at most a year, and on one day the end after the start."""
    end = form.end or form.start
    _check_span(form.start, end, MAX_ABSENCE_DAYS)
    if form.start == end and form.start_time and form.end_time and form.end_time <= form.start_time:
        raise ValidationError("„bis Uhrzeit“ muss nach „ab Uhrzeit“ liegen.", field="end_time")
    absence.kind, absence.start_day, absence.end_day = form.kind, form.start, end
    absence.start_time, absence.end_time, absence.note = form.start_time, form.end_time, form.note


def delete_absence(session: Session, actor: str, absence_id: int) -> Person:
    """Remove an absence; audited. Returns its person (for the caller's redirect)."""
    absence = session.get(Absence, absence_id)
    if absence is None:
        raise NotFound(f"Die Abwesenheit {absence_id} gibt es nicht.", field="id")
    person = absence.person
    before = {k: [v, None] for k, v in absence_json(absence).items() if k in _AUDITED}
    audit.record(session, actor, "absence", absence.id, "delete",
                 f"Abwesenheit von {person.code} gelöscht: {_describe(absence)}", before)  # fmt: skip
    session.delete(absence)
    session.flush()
    return person


def create_closure(session: Session, actor: str, data: Mapping[str, Any]) -> list[ClosureDay]:
    """Closure days (one row per day); a day that is closed already is refused, naming it."""
    form = t.validate(ClosureInput, data)
    end = form.end or form.start
    _check_span(form.start, end, MAX_CLOSURE_DAYS)
    reason = form.reason or "Schließtag"
    days = [form.start + timedelta(days=n) for n in range((end - form.start).days + 1)]
    taken = set(session.scalars(select(ClosureDay.day).where(ClosureDay.day.in_(days))))
    if taken:
        first = min(taken)
        raise ValidationError(f"Der {first:%d.%m.%Y} ist schon ein Schließtag.", field="start")
    rows = [ClosureDay(day=day, reason=reason) for day in days]
    session.add_all(rows)
    session.flush()
    for row in rows:
        audit.record(session, actor, "closure", row.id, "create", f"Schließtag {row.day:%d.%m.%Y}: {reason}",
                     {"day": [None, row.day], "reason": [None, reason]})  # fmt: skip
    return rows


def delete_closure(session: Session, actor: str, closure_id: int) -> None:
    """Remove one closure day; audited."""
    row = session.get(ClosureDay, closure_id)
    if row is None:
        raise NotFound(f"Den Schließtag {closure_id} gibt es nicht.", field="id")
    audit.record(session, actor, "closure", row.id, "delete", f"Schließtag {row.day:%d.%m.%Y} gelöscht",
                 {"day": [row.day, None], "reason": [row.reason, None]})  # fmt: skip
    session.delete(row)
    session.flush()


def absences_of(session: Session, person: Person, since: date | None = None) -> list[Absence]:
    """A person's absences ending on or after ``since``, earliest first."""
    query = select(Absence).where(Absence.person_id == person.id)
    if since is not None:
        query = query.where(Absence.end_day >= since)
    return list(session.scalars(query.order_by(Absence.start_day, Absence.id)))
