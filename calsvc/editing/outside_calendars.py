"""Registering and removing a person's outside calendars (ICS address or uploaded file), audited.

The address is a secret of its owner (a published Outlook link opens the whole calendar), so
the audit trail names the host only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calsvc import inputs as t
from calsvc.busy.fetch import check_address
from calsvc.errors import NotFound, ValidationError
from calsvc.models import BusySource, Person

from . import audit
from .schemas import OutsideCalendarInput

__all__ = ["MAX_SOURCES", "add_outside_calendar", "remove_outside_calendar"]

MAX_SOURCES = 5


def add_outside_calendar(session: Session, actor: str, person: Person, label: str, url: str | None) -> BusySource:
    """A new outside calendar of ``person``: an address to fetch, or (``url`` None) an uploaded file."""
    form = t.validate(OutsideCalendarInput, {"label": label, "url": url or ""})
    if url is not None and not form.url:
        raise ValidationError("Bitte die Adresse (ICS-Link) des Kalenders angeben.", field="url")
    address = check_address(form.url) if form.url else None
    if (session.scalar(select(func.count()).where(BusySource.person_id == person.id)) or 0) >= MAX_SOURCES:
        raise ValidationError(f"Höchstens {MAX_SOURCES} fremde Kalender je Person.", field="url")
    source = BusySource(person=person, label=form.label or ("Datei" if address is None else "Kalender"), url=address)
    session.add(source)
    session.flush()
    where = urlsplit(address).hostname if address else "hochgeladene Datei"
    audit.record(session, actor, "busy_source", source.id, "create",
                 f"Fremder Kalender von {person.code} eingetragen ({where})", {"label": [None, source.label]})  # fmt: skip
    return source


def remove_outside_calendar(session: Session, actor: str, source_id: int) -> Person:
    """Remove an outside calendar and its busy times; returns its person."""
    source = session.get(BusySource, source_id)
    if source is None:
        raise NotFound(f"Den fremden Kalender {source_id} gibt es nicht.", field="id")
    person = source.person
    audit.record(session, actor, "busy_source", source.id, "delete",
                 f"Fremder Kalender von {person.code} entfernt", {"label": [source.label, None]})  # fmt: skip
    session.delete(source)
    session.flush()
    return person
