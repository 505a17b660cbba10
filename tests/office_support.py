"""A small office for feed tests: IntB leads a monthly Beirat, and may have a secret feed link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from calsvc.admin.secrets import hash_token
from calsvc.models import Gremium, MeetingSeries, Membership, Person

__all__ = ["FEED_TOKEN", "add_small_office"]

FEED_TOKEN = "persoenlicher-link-token-fuer-den-test-0123456789"


def add_small_office(session: Session) -> None:
    """IntB (with :data:`FEED_TOKEN` as feed link) leading the Beirat, first Wednesday 17:00."""
    intb = Person(code="IntB", title="Integrationsbeauftragte", feed_token_hash=hash_token(FEED_TOKEN))
    beirat = Gremium(slug="beirat", name="Beirat für Partizipation und Integration")
    beirat.memberships.append(Membership(person=intb, role="lead"))
    session.add(
        MeetingSeries(
            gremium=beirat,
            title="Beiratssitzung",
            dtstart=datetime(2026, 1, 7, 17),
            duration_minutes=120,
            rrule="FREQ=MONTHLY;BYDAY=1WE",
            location="BVV-Saal",
        )
    )
