"""Who receives the invitation of a series, and which of its dates: the one place recipients are gathered.

Everybody taking part (:func:`calsvc.editing.participants.invitees`: internal persons and
external guests) who has an e-mail address, each address once — also whoever comes to single
dates only ("nur an diesem Termin"). Each gets the series as they attend it
(:func:`calsvc.schedule.attendance.date_view`): the dates they miss left out, or only their
dates, with the same UIDs as in their personal feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from calsvc.editing.participants import invitees
from calsvc.models import MeetingSeries
from calsvc.schedule.attendance import date_view, person_view
from calsvc.schedule.specs import SeriesSpec

__all__ = ["Recipient", "audience", "recipients"]


@dataclass(frozen=True, slots=True)
class Recipient:
    """An invitee with an e-mail address; ``role`` as RFC 5545 ROLE (the Gremium's lead chairs)."""

    name: str
    email: str
    organisation: str = ""
    person_code: str | None = None
    role: str = "REQ-PARTICIPANT"


def recipients(series: MeetingSeries, recurrence_id: datetime | None = None) -> list[Recipient]:
    """The series' (or one date's) people with an e-mail address, each address once, in their order."""
    leads = {p.code for p in series.gremium.leads} if series.gremium else set()
    found: dict[str, Recipient] = {}
    for person in invitees(series, recurrence_id):
        email = (person.email or "").strip()
        if not email or _address(email) in found:
            continue
        found[_address(email)] = Recipient(
            name=person.name,
            email=email,
            organisation=person.organisation,
            person_code=person.person_code,
            role="CHAIR" if person.person_code in leads else "REQ-PARTICIPANT",
        )
    return list(found.values())


def audience(series: MeetingSeries, spec: SeriesSpec) -> list[tuple[Recipient, SeriesSpec]]:
    """Everybody to invite with the series as they attend it (``spec`` is the series' own snapshot).

    The series' people first (as :func:`recipients`), then those of single dates only, each
    address once; someone whose dates are all gone (cancelled) is left out.
    """
    everyone = {_address(r.email): r for r in recipients(series)}
    for rid in sorted({a.recurrence_id for a in series.attendance if a.present}):
        for added in recipients(series, rid):  # those of that date who are no series people
            everyone.setdefault(_address(added.email), added)
    guests = {_address(g.email): g.id for g in series.guests}
    found = []
    for email, person in everyone.items():
        if person.person_code is not None:
            view = person_view(spec, person.person_code)
        elif email in guests:
            missed = {a.recurrence_id for a in series.attendance if a.guest_id == guests[email] and not a.present}
            view = date_view(spec, whole=True, present=set(), missed=missed)
        else:
            own = {a.recurrence_id for a in series.attendance if a.present and _address(a.email) == email}
            view = date_view(spec, whole=False, present=own, missed=set())
        if view is not None:
            found.append((person, view))
    return found


def _address(email: str | None) -> str:
    """An e-mail address as recipients are told apart: trimmed, in lower case."""
    return (email or "").strip().lower()
