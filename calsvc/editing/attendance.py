""" "Nur an diesem Termin": someone comes to, or misses, one date of a series (a domain command)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from calsvc.conflicts.proposals import Proposal
from calsvc.errors import NotFound, ValidationError
from calsvc.models import AttendanceChange, MeetingSeries
from calsvc.schedule.rrule import expand_rule
from calsvc.schedule.store import require_person

from . import audit
from .conflict_check import ConflictReview, occurrence_proposal
from .participants import attendance_state, date_persons, invitees
from .schemas import AttendanceInput, validate
from .versions import check_version

__all__ = ["change_attendance", "date_start"]


def date_start(series: MeetingSeries, rid: datetime) -> tuple[datetime, int, str] | None:
    """Start, minutes and place of the date ``rid`` (``None`` when cancelled); 422 if it is no date of the series."""
    for extra in series.extra_dates:
        if extra.start == rid:
            return rid, extra.duration_minutes or series.duration_minutes, extra.location or series.location
    exc = next((e for e in series.exceptions if e.recurrence_id == rid), None)
    if exc is None and not _is_rule_date(series, rid):
        raise ValidationError(f"{rid:%d.%m.%Y %H:%M} ist kein Termin dieser Serie.", field="recurrence_id")
    if exc is not None and exc.cancelled:
        return None
    if exc is None:
        return rid, series.duration_minutes, series.location
    return (
        exc.new_start or rid,
        exc.new_duration_minutes or series.duration_minutes,
        exc.new_location or series.location,
    )


def _is_rule_date(series: MeetingSeries, rid: datetime) -> bool:
    if not series.rrule:
        return rid == series.dtstart
    return expand_rule(series.rrule, series.dtstart, rid, rid) == [rid]


def _planned(series: MeetingSeries, rid: datetime) -> Proposal | None:
    found = date_start(series, rid)
    return None if found is None else occurrence_proposal(series, *found, recurrence_id=rid)


def change_attendance(
    session: Session,
    actor: str,
    series: MeetingSeries,
    data: Mapping[str, Any],
    version: int,
    review: ConflictReview | None = None,
) -> None:
    """Add someone to, or remove them from, one date; or ``undo`` such a change. Audited; conflicts reviewed.

    The series' SEQUENCE rises: the dates change in the feeds of the people concerned.
    """
    review = review or ConflictReview()
    check_version(session, series, "series", version)
    form = validate(AttendanceInput, data)
    rid = form.recurrence_id
    before_people = [i.name for i in invitees(series, rid)]
    planned_before = _planned(series, rid)
    text = _undo(series, rid, form) if form.action == "undo" else _change(session, series, rid, form)
    series.sequence += 1
    old_version = series.version
    session.flush()
    review.check(session, series.id, planned_before, _planned(series, rid))
    changes: audit.Changes = {
        f"attendance[{rid.isoformat()}]": [before_people, [i.name for i in invitees(series, rid)]],
        "sequence": [series.sequence - 1, series.sequence],
        "version": [old_version, series.version],
    }
    changes.update(review.audit_changes())
    summary = f"Termin {rid:%d.%m.%Y %H:%M}: {text}" + review.audit_note()
    audit.record(session, actor, "series", series.id, "attendance", summary, changes)


def _one_who(form: AttendanceInput) -> str:
    given = [n for n, v in (("person", form.person), ("guest", form.guest), ("name", form.name)) if v]
    if form.email and "name" not in given:
        raise ValidationError("Eine E-Mail-Adresse gehört zu einem Gast („name“).", field="email")
    if form.change is not None:
        raise ValidationError("„change“ gilt nur für die Aktion „undo“.", field="change")
    if len(given) != 1:
        raise ValidationError(
            "Bitte genau eine Person („person“), einen Gast der Serie („guest“) oder einen neuen Gast („name“) angeben.",
            field=given[1] if len(given) > 1 else "person",
        )
    return given[0]


def _change(session: Session, series: MeetingSeries, rid: datetime, form: AttendanceInput) -> str:
    """Record an addition or absence; refuses what is already so (nothing is silently ignored)."""
    if date_start(series, rid) is None:
        raise ValidationError("Der Termin ist abgesagt; bitte erst wiederherstellen.", field="recurrence_id")
    who = _one_who(form)
    present = form.action == "add"
    if who == "name":
        if not present:
            raise ValidationError("Einen Gast dieses Termins entfernt „undo“ mit seiner Änderung.", field="name")
        change = AttendanceChange(
            recurrence_id=rid, present=True, name=form.name, email=form.email, organisation=form.organisation
        )
        series.attendance.append(change)
        return f"Gast {attendance_state(change)[1:]} nur an diesem Termin dabei"
    if who == "guest":
        guest = next((g for g in series.guests if g.id == form.guest), None)
        if guest is None:
            raise ValidationError(f"Gast {form.guest} gehört nicht zu dieser Serie.", field="guest")
        if present:
            raise ValidationError("Gäste der Serie sind an jedem Termin dabei.", field="guest")
        if any(a.guest is guest and a.recurrence_id == rid for a in series.attendance):
            raise ValidationError(f"{guest.name} fehlt an diesem Termin schon.", field="guest")
        series.attendance.append(AttendanceChange(recurrence_id=rid, present=False, guest=guest, name=""))
        return f"{guest.name} an diesem Termin nicht dabei"
    try:
        person = require_person(session, form.person)
    except NotFound as exc:
        raise ValidationError(exc.message, field="person") from None
    there = person in date_persons(series, rid)
    if there == present:
        state = "schon dabei" if present else "an diesem Termin nicht dabei"
        raise ValidationError(f"{person.code} ist {state}.", field="person")
    earlier = next((a for a in series.attendance if a.recurrence_id == rid and a.person is person), None)
    if earlier is not None:
        series.attendance.remove(earlier)  # the opposite change: the date is as the series has it again
    else:
        series.attendance.append(AttendanceChange(recurrence_id=rid, present=present, person=person, name=""))
    return f"{person.code} " + ("nur an diesem Termin dabei" if present else "an diesem Termin nicht dabei")


def _undo(series: MeetingSeries, rid: datetime, form: AttendanceInput) -> str:
    """Drop one single-date change (by its id)."""
    if form.change is None:
        raise ValidationError("Welche Änderung? („change“ fehlt.)", field="change")
    change = next((a for a in series.attendance if a.id == form.change and a.recurrence_id == rid), None)
    if change is None:
        raise ValidationError(f"Änderung {form.change} gibt es an diesem Termin nicht.", field="change")
    series.attendance.remove(change)
    return f"Änderung {attendance_state(change)} aufgehoben"
