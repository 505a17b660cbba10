"""Creating, changing and deleting persons/posts, including vacancy dates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.errors import ValidationError
from calsvc.models import MeetingSeries, Membership, Person, SeriesParticipant

from . import audit
from .schemas import PersonInput, PersonPatch, validate
from .versions import check_version

__all__ = ["PERSON_FIELDS", "create_person", "delete_person", "person_state", "update_person"]

PERSON_FIELDS = ("code", "title", "name", "email", "is_external", "vacant", "vacant_from", "vacant_until", "notes")
_FEED_VISIBLE = {"code", "name", "email"}


def person_state(person: Person) -> dict[str, Any]:
    """The audited fields of a person, JSON-safe."""
    return audit.snapshot(person, (*PERSON_FIELDS, "version"))


def _apply(session: Session, person: Person, data: Mapping[str, Any], creating: bool) -> None:
    """Validate ``data`` (all fields when creating, the sent ones otherwise), set them, check them together."""
    form = validate(PersonInput if creating else PersonPatch, data)
    given = set(PERSON_FIELDS) if creating else form.model_fields_set
    if "code" in given:
        clash = session.scalar(select(Person).where(Person.code == form.code))
        if clash is not None and clash is not person:
            raise ValidationError(f"Das Kürzel „{form.code}“ ist schon vergeben.", field="code")
    for name in PERSON_FIELDS:
        if name in given:
            value = getattr(form, name)
            setattr(person, name, (value or None) if name in ("name", "email") else value)
    if person.email and ("@" not in person.email or " " in person.email):
        raise ValidationError("Die E-Mail-Adresse ist ungültig.", field="email")
    if person.vacant_from and person.vacant_until and person.vacant_until < person.vacant_from:
        raise ValidationError("„unbesetzt bis“ liegt vor „unbesetzt ab“.", field="vacant_until")
    if (person.vacant_from or person.vacant_until) and not person.vacant:
        raise ValidationError("Vakanzdaten gibt es nur bei einer unbesetzten Stelle.", field="vacant")


def _bump_meetings(session: Session, person: Person) -> None:
    """Meetings list their participants: a visible change of a person is a change of those events."""
    gremium_ids = select(Membership.gremium_id).where(Membership.person_id == person.id)
    explicit = select(SeriesParticipant.series_id).where(SeriesParticipant.person_id == person.id)
    query = select(MeetingSeries).where(MeetingSeries.gremium_id.in_(gremium_ids) | MeetingSeries.id.in_(explicit))
    for series in session.scalars(query):
        series.sequence += 1


def create_person(session: Session, actor: str, data: Mapping[str, Any]) -> Person:
    """A new person/post; audited as ``create``."""
    person = Person(code="", title="", notes="")
    _apply(session, person, data, creating=True)
    session.add(person)
    session.flush()
    audit.record(
        session,
        actor,
        "person",
        person.id,
        "create",
        f"Person „{person.code}“ angelegt",
        audit.diff({}, person_state(person)),
    )
    return person


def update_person(session: Session, actor: str, person: Person, data: Mapping[str, Any], version: int) -> Person:
    """Change the given fields if ``version`` is current."""
    check_version(session, person, "person", version)
    before = person_state(person)
    _apply(session, person, data, creating=False)
    changed = audit.diff(before, person_state(person))
    if not changed:
        return person
    if _FEED_VISIBLE & changed.keys():
        _bump_meetings(session, person)
    session.flush()
    audit.record(
        session,
        actor,
        "person",
        person.id,
        "update",
        "Person geändert: " + audit.field_names(changed),
        audit.diff(before, person_state(person)),
    )
    return person


def delete_person(session: Session, actor: str, person: Person, version: int) -> None:
    """Remove a person with their memberships and participations."""
    check_version(session, person, "person", version)
    _bump_meetings(session, person)
    audit.record(
        session,
        actor,
        "person",
        person.id,
        "delete",
        f"Person „{person.code}“ gelöscht",
        {k: [v, None] for k, v in person_state(person).items()},
    )
    for membership in session.scalars(select(Membership).where(Membership.person_id == person.id)):
        session.delete(membership)
    for participation in session.scalars(select(SeriesParticipant).where(SeriesParticipant.person_id == person.id)):
        session.delete(participation)
    session.delete(person)
    session.flush()
