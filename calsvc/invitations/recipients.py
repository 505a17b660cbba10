"""Who receives the invitation of a series: the one place recipients are gathered.

A stand-in until participants (internal persons and external guests) are their own concept:
at merge this reads ``calsvc.editing.participants.invitees`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
    """The series' participants that have an e-mail address, each address once, in participant order."""
    del recurrence_id  # per-date participants arrive with the participants feature
    leads = {p.id for p in series.gremium.leads} if series.gremium else set()
    found: dict[str, Recipient] = {}
    for person in series.participant_persons():
        email = (person.email or "").strip()
        if not email or email.lower() in found:
            continue
        found[email.lower()] = Recipient(
            name=person.name or person.title or person.code,
            email=email,
            person_code=person.code,
            role="CHAIR" if person.id in leads else "REQ-PARTICIPANT",
        )
    return list(found.values())
