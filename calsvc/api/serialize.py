"""JSON shapes of the domain objects, shared by the API's read and write endpoints."""

from __future__ import annotations

from typing import Any

from calsvc.models import Activity, AttendanceChange, Gremium, MeetingSeries, Person
from calsvc.schedule.describe import describe_rule
from calsvc.schedule.specs import Occurrence
from calsvc.schedule.store import activity_spec

__all__ = ["activity_json", "attendance_json", "gremium_json", "occurrence_json", "person_json", "series_json"]


def person_json(p: Person) -> dict[str, Any]:
    """A person/post; the feed token hash is never exposed."""
    return {
        "code": p.code,
        "title": p.title,
        "name": p.name,
        "email": p.email,
        "external": p.is_external,
        "vacant": p.vacant,
        "vacant_from": p.vacant_from.isoformat() if p.vacant_from else None,
        "vacant_until": p.vacant_until.isoformat() if p.vacant_until else None,
        "version": p.version,
    }


def gremium_json(g: Gremium) -> dict[str, Any]:
    """A Gremium with its members and their roles."""
    return {
        "slug": g.slug,
        "name": g.name,
        "level": g.level,
        "parent": g.parent.slug if g.parent else None,
        "members": [{"person": m.person.code, "role": m.role} for m in g.memberships],
        "version": g.version,
    }


def series_json(s: MeetingSeries, *, contacts: bool = True) -> dict[str, Any]:
    """A meeting series with its exceptions, extra dates and people (times are Berlin wall time).

    Without ``contacts`` (anonymous readers) external guests' e-mail addresses are left out.
    """
    return {
        "id": s.id,
        "gremium": s.gremium.slug if s.gremium else None,
        "title": s.title,
        "dtstart": s.dtstart.isoformat(),
        "timezone": "Europe/Berlin",
        "duration_minutes": s.duration_minutes,
        "rrule": s.rrule,
        "rule_text": describe_rule(s.rrule, s.dtstart, s.duration),
        "location": s.location,
        "description": s.description,
        "status": s.status,
        "is_example": s.is_example,
        "participants": [p.code for p in s.participant_persons()],
        "participants_default": not s.participants,
        "guests": [
            {"id": g.id, "name": g.name, "email": g.email if contacts else None, "organisation": g.organisation}
            for g in s.guests
        ],
        "attendance": [attendance_json(a, contacts=contacts) for a in s.attendance],
        "exceptions": [
            {
                "recurrence_id": e.recurrence_id.isoformat(),
                "cancelled": e.cancelled,
                "new_start": e.new_start.isoformat() if e.new_start else None,
                "new_duration_minutes": e.new_duration_minutes,
                "new_location": e.new_location,
                "note": e.note,
            }
            for e in s.exceptions
        ],
        "extra_dates": [
            {"id": x.id, "start": x.start.isoformat(), "duration_minutes": x.duration_minutes, "location": x.location}
            for x in s.extra_dates
        ],
        "sequence": s.sequence,
        "version": s.version,
    }


def attendance_json(a: AttendanceChange, *, contacts: bool = True) -> dict[str, Any]:
    """One "nur an diesem Termin" change: who (person code, series guest id, or a guest of this date)."""
    return {
        "id": a.id,
        "recurrence_id": a.recurrence_id.isoformat(),
        "present": a.present,
        "person": a.person.code if a.person else None,
        "guest": a.guest_id,
        "name": a.name or None,
        "email": a.email if contacts else None,
        "organisation": a.organisation or None,
    }


def activity_json(a: Activity) -> dict[str, Any]:
    """An activity: the plan's Terminierung verbatim, the periods it names and the spans it covers."""
    return {
        "id": a.id,
        "plan_year": a.plan_year,
        "number": a.number,
        "title": a.title,
        "responsible": [p.code for p in a.responsible],
        "terminierung": a.terminierung,
        "periods": [
            {"start": p.start.isoformat(), "end": p.end.isoformat(), "precision": p.precision, "focus": p.focus}
            for p in a.periods
        ],
        "ongoing": a.ongoing,
        "tentative": a.tentative,
        "unscheduled": a.unscheduled,
        "status": a.status,
        "carried_from_year": a.carried_from_year,
        "spans": [  # what agenda, feeds and report show: "fortlaufend" reaches on until done
            {"start": p.start.isoformat(), "end": p.end.isoformat(), "label": p.label}
            for p in ([] if a.unscheduled else activity_spec(a).published_periods())
        ],
        "version": a.version,
    }


def occurrence_json(o: Occurrence) -> dict[str, Any]:
    """One occurrence; all-day spans carry dates, timed ones ISO datetimes with offset."""
    return {
        "key": o.key,
        "uid": o.uid,
        "kind": o.kind,
        "title": o.title,
        "all_day": o.all_day,
        "start": o.first_day.isoformat() if o.all_day else o.start.isoformat(),
        "end": o.last_day.isoformat() if o.all_day else o.end.isoformat(),
        "recurrence_id": o.recurrence_id.isoformat() if o.recurrence_id else None,
        "location": o.location,
        "gremium": o.gremium_slug,
        "lead": list(o.lead_codes),
        "participants": list(o.participant_codes),
        "status": o.status,
        "moved": o.moved,
        "is_example": o.is_example,
        "label": o.label,
    }
