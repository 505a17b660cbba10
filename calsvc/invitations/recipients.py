"""Who receives the invitation of a series: the one place recipients are gathered.

Everybody taking part (:func:`calsvc.editing.participants.invitees`: internal persons and
external guests) who has an e-mail address, each address once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from calsvc.editing.participants import invitees
from calsvc.models import MeetingSeries

__all__ = ["Recipient", "recipients"]


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
        if not email or email.lower() in found:
            continue
        found[email.lower()] = Recipient(
            name=person.name,
            email=email,
            organisation=person.organisation,
            person_code=person.person_code,
            role="CHAIR" if person.person_code in leads else "REQ-PARTICIPANT",
        )
    return list(found.values())
