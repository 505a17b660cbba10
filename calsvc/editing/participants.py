"""Who takes part in a meeting: internal persons, external guests, and changes for single dates.

A series' persons are its explicit participants or else its Gremium's members (leads first);
guests come on top. "Nur an diesem Termin" adds or removes someone for one date
(:class:`~calsvc.models.AttendanceChange`); the engine applies the persons' changes to every
occurrence (:mod:`calsvc.schedule.attendance`), :func:`invitees` lists everybody for invitations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from calsvc.errors import NotFound, ValidationError
from calsvc.models import AttendanceChange, MeetingSeries, Person, SeriesGuest, SeriesParticipant
from calsvc.schedule.store import require_person

from .schemas import GuestInput

__all__ = [
    "Invitee",
    "attendance_state",
    "date_persons",
    "guest_label",
    "invitees",
    "people_state",
    "set_guests",
    "set_participants",
]


@dataclass(frozen=True)
class Invitee:
    """One person taking part, as an invitation addresses them (internal ones carry their code)."""

    name: str
    email: str | None
    organisation: str = ""
    person_code: str | None = None


def _person_invitee(person: Person) -> Invitee:
    return Invitee(name=person.name or person.title or person.code, email=person.email or None, person_code=person.code)


def _guest_invitee(name: str, email: str | None, organisation: str) -> Invitee:
    return Invitee(name=name, email=email or None, organisation=organisation)


def _changes_at(series: MeetingSeries, recurrence_id: datetime) -> list[AttendanceChange]:
    return [a for a in series.attendance if a.recurrence_id == recurrence_id]


def date_persons(series: MeetingSeries, recurrence_id: datetime | None = None) -> list[Person]:
    """The internal persons of the series, or of its date ``recurrence_id`` (changes applied)."""
    persons = list(series.participant_persons())
    if recurrence_id is None:
        return persons
    changes = [a for a in _changes_at(series, recurrence_id) if a.person is not None]
    missing = {a.person_id for a in changes if not a.present}
    kept = [p for p in persons if p.id not in missing]
    added = [a.person for a in changes if a.present and a.person is not None and a.person not in kept]
    return kept + list(dict.fromkeys(added))


def invitees(series: MeetingSeries, recurrence_id: datetime | None = None) -> list[Invitee]:
    """Everyone taking part in ``series`` (its people of every date), or on its date ``recurrence_id``.

    Internal persons first (in the series' order, then those added for the date), then guests.
    Without ``recurrence_id`` the single-date changes are left out: they belong to their dates.
    """
    people = [_person_invitee(p) for p in date_persons(series, recurrence_id)]
    changes = _changes_at(series, recurrence_id) if recurrence_id is not None else []
    absent = {a.guest_id for a in changes if not a.present and a.guest_id is not None}
    guests = [_guest_invitee(g.name, g.email, g.organisation) for g in series.guests if g.id not in absent]
    extra = [
        _guest_invitee(a.name, a.email, a.organisation) for a in changes if a.present and a.person_id is None and a.name
    ]
    return people + guests + extra


def guest_label(name: str, email: str | None, organisation: str) -> str:
    """``Name <mail> (Organisation)`` as the history and pages show a guest."""
    text = name + (f" <{email}>" if email else "")
    return text + (f" ({organisation})" if organisation else "")


def people_state(series: MeetingSeries) -> dict[str, Any]:
    """The audited people of a series: explicit persons (``None`` = the Gremium's members) and guests."""
    explicit = sorted(p.person.code for p in series.participants) if series.participants else None
    return {
        "participants": explicit,
        "guests": [guest_label(g.name, g.email, g.organisation) for g in series.guests],
    }


def attendance_state(change: AttendanceChange) -> str:
    """One single-date change as the history shows it: ``+Int1`` / ``−Anna Gast``."""
    if change.person is not None:
        who = change.person.code
    elif change.guest is not None:
        who = change.guest.name
    else:
        who = guest_label(change.name, change.email, change.organisation)
    return ("+" if change.present else "−") + who


def set_participants(session: Session, series: MeetingSeries, codes: Sequence[str] | None) -> None:
    """Make ``codes`` the series' persons (``None``: the Gremium's members); unknown codes are a 422."""
    if codes is None:
        series.participants.clear()
        return
    try:
        persons = [require_person(session, code) for code in codes]
    except NotFound as exc:
        raise ValidationError(exc.message, field="participants") from None
    wanted = {p.id: p for p in persons}
    for row in list(series.participants):
        if row.person_id not in wanted:
            series.participants.remove(row)
    present = {row.person_id for row in series.participants}
    for person in persons:
        if person.id not in present:
            series.participants.append(SeriesParticipant(person=person))
            present.add(person.id)


def set_guests(series: MeetingSeries, guests: Sequence[GuestInput]) -> None:
    """Make ``guests`` the series' guests; unchanged guests keep their rows (and their single-date changes)."""
    wanted = [(g.name, g.email or None, g.organisation) for g in guests]
    if len(set(wanted)) != len(wanted):
        raise ValidationError("Ein Gast steht doppelt in der Liste.", field="guests")
    keep = set(wanted)
    for row in list(series.guests):
        if (row.name, row.email, row.organisation) not in keep:
            for change in [a for a in series.attendance if a.guest is row]:
                series.attendance.remove(change)
            series.guests.remove(row)
    have = {(row.name, row.email, row.organisation) for row in series.guests}
    for name, email, organisation in wanted:
        if (name, email, organisation) not in have:
            series.guests.append(SeriesGuest(name=name, email=email, organisation=organisation))
