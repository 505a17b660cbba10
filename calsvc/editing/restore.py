"""Undo a deletion: a deleted series comes back whole from the snapshot in its audit entry.

Deleting a series writes everything it had (fields, persons, guests, exceptions, extra dates,
single-date changes) into the ``delete`` entry; :func:`restore_series` rebuilds it from there,
under its old id when that is free (so feed UIDs stay the same) and with a higher SEQUENCE.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.errors import NotFound, ValidationError
from calsvc.models import (
    AttendanceChange,
    AuditEntry,
    ExtraDate,
    MeetingSeries,
    SeriesException,
    SeriesGuest,
    SeriesParticipant,
)
from calsvc.schedule.store import require_gremium, require_person
from calsvc.schedule.walltime import BERLIN

from . import audit
from .conflict_check import ConflictReview, series_proposal

__all__ = ["SNAPSHOT_KEY", "restorable", "restore_series", "restored_by", "series_snapshot"]

SNAPSHOT_KEY = "snapshot"
_FIELDS = ("title", "dtstart", "duration_minutes", "rrule", "location", "description", "status", "is_example")
_EXC = ("recurrence_id", "cancelled", "new_start", "new_duration_minutes", "new_location", "note", "sequence")
_EXTRA = ("start", "duration_minutes", "location", "note", "sequence")


def series_snapshot(series: MeetingSeries) -> dict[str, Any]:
    """Everything needed to bring ``series`` back, JSON-safe."""
    return {
        "id": series.id,
        **audit.snapshot(series, (*_FIELDS, "sequence")),
        "gremium": series.gremium.slug if series.gremium else None,
        "participants": [p.person.code for p in series.participants],
        "guests": [
            {"id": g.id, "name": g.name, "email": g.email, "organisation": g.organisation} for g in series.guests
        ],
        "exceptions": [audit.snapshot(e, _EXC) for e in series.exceptions],
        "extra_dates": [{"id": x.id, **audit.snapshot(x, _EXTRA)} for x in series.extra_dates],
        "attendance": [
            {
                "recurrence_id": a.recurrence_id.isoformat(),
                "present": a.present,
                "person": a.person.code if a.person else None,
                "guest": a.guest_id,
                "name": a.name,
                "email": a.email,
                "organisation": a.organisation,
            }
            for a in series.attendance
        ],
    }


def restorable(session: Session, entry_id: int) -> tuple[AuditEntry, dict[str, Any]]:
    """The ``delete`` entry of a series with its snapshot, if it was not restored yet (else 404/422)."""
    entry = session.get(AuditEntry, entry_id)
    if entry is None or entry.object_type != "series" or entry.action != "delete":
        raise NotFound(f"Es gibt keine gelöschte Terminserie mit dem Verlaufseintrag {entry_id}.", field="audit_entry")
    snapshot = json.loads(entry.changes or "{}").get(SNAPSHOT_KEY, [None])[0]
    if not isinstance(snapshot, dict):
        raise ValidationError("Dieser Eintrag stammt aus der Zeit vor der Wiederherstellung.", field="audit_entry")
    if restored_by(session, entry_id) is not None:
        raise ValidationError("Diese Terminserie ist schon wiederhergestellt.", field="audit_entry")
    return entry, snapshot


def restored_by(session: Session, entry_id: int) -> int | None:
    """The id of the series restored from the delete entry ``entry_id`` (``None``: not restored)."""
    query = select(AuditEntry).where(AuditEntry.object_type == "series", AuditEntry.action == "restore")
    for entry in session.scalars(query):
        if json.loads(entry.changes or "{}").get("restored_from", [None, None])[1] == entry_id:
            return entry.object_id
    return None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def restore_series(session: Session, actor: str, entry_id: int, review: ConflictReview | None = None) -> MeetingSeries:
    """Bring back the series deleted in audit entry ``entry_id``; persons and Gremium must still exist."""
    review = review or ConflictReview()
    entry, snap = restorable(session, entry_id)
    series_id = snap["id"] if session.get(MeetingSeries, snap["id"]) is None else None
    try:
        gremium = require_gremium(session, snap["gremium"]) if snap["gremium"] else None
        persons = {code: require_person(session, code) for code in _codes(snap)}
    except NotFound as exc:
        raise ValidationError(f"{exc.message} Bitte zuerst wieder anlegen.", field=exc.field) from None
    series = MeetingSeries(
        id=series_id,
        gremium=gremium,
        title=snap["title"],
        dtstart=datetime.fromisoformat(snap["dtstart"]),
        duration_minutes=snap["duration_minutes"],
        rrule=snap["rrule"],
        location=snap["location"],
        description=snap["description"],
        status=snap["status"],
        is_example=snap["is_example"],
        sequence=snap["sequence"] + 1,
    )
    series.participants = [SeriesParticipant(person=persons[code]) for code in snap["participants"]]
    guests = {
        g["id"]: SeriesGuest(name=g["name"], email=g["email"], organisation=g["organisation"]) for g in snap["guests"]
    }
    series.guests = list(guests.values())
    series.exceptions = [
        SeriesException(**{**e, "recurrence_id": _moment(e["recurrence_id"]), "new_start": _moment(e["new_start"])})
        for e in snap["exceptions"]
    ]
    series.extra_dates = [
        ExtraDate(**{k: v for k, v in x.items() if k not in ("id", "start")}, start=_moment(x["start"]))
        for x in snap["extra_dates"]
    ]
    series.attendance = [
        AttendanceChange(
            recurrence_id=_moment(a["recurrence_id"]),
            present=a["present"],
            person=persons[a["person"]] if a["person"] else None,
            guest=guests.get(a["guest"]) if a["guest"] else None,
            name=a["name"],
            email=a["email"],
            organisation=a["organisation"],
        )
        for a in snap["attendance"]
    ]
    session.add(series)
    session.flush()
    review.check(session, series.id, None, series_proposal(series))
    changes: audit.Changes = {"restored_from": [None, entry.id], **review.audit_changes()}
    when = entry.at.replace(tzinfo=UTC).astimezone(BERLIN)
    summary = (
        f"Terminserie „{series.title}“ wiederhergestellt (gelöscht am {when:%d.%m.%Y %H:%M})" + review.audit_note()
    )
    audit.record(session, actor, "series", series.id, "restore", summary, changes)
    return series


def _codes(snap: dict[str, Any]) -> set[str]:
    return {*snap["participants"], *(a["person"] for a in snap["attendance"] if a["person"])}
