"""Creating, changing and deleting Gremien and their memberships (lead/member)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from calsvc.errors import ValidationError
from calsvc.models import Gremium, Level, MeetingSeries, Membership, utcnow
from calsvc.models.slugs import slugify
from calsvc.schedule.store import require_gremium, require_person

from . import audit
from .schemas import GremiumInput, GremiumPatch, MemberInput, validate
from .versions import check_version

__all__ = ["create_gremium", "delete_gremium", "gremium_state", "remove_member", "set_member", "update_gremium"]

LEVELS = tuple(level.value for level in Level)


def gremium_state(gremium: Gremium) -> dict[str, Any]:
    """The audited fields of a Gremium, members included, JSON-safe."""
    state = audit.snapshot(gremium, ("slug", "name", "level", "description", "version"))
    state["parent"] = gremium.parent.slug if gremium.parent else None
    state["members"] = sorted(f"{m.person.code}:{m.role}" for m in gremium.memberships)
    return state


def _refuse_loop(gremium: Gremium, parent: Gremium | None) -> None:
    """A Gremium may not hang under itself, however long the chain of parents is."""
    seen: set[int] = set()
    ancestor = parent
    while ancestor is not None and id(ancestor) not in seen:
        if ancestor is gremium:
            raise ValidationError(
                "Ein Gremium kann nicht (auch nicht über andere) unter sich selbst hängen.", field="parent"
            )
        seen.add(id(ancestor))
        ancestor = ancestor.parent


def _apply(session: Session, gremium: Gremium, data: Mapping[str, Any], creating: bool) -> None:
    """Validate ``data`` (all fields when creating, the sent ones otherwise) and set them; slug and parent must fit."""
    form = validate(GremiumInput if creating else GremiumPatch, data)
    given = {"name", "slug", "level", "parent", "description"} if creating else form.model_fields_set
    if "name" in given:
        gremium.name = form.name
    if "slug" in given:
        slug = form.slug or slugify(gremium.name)
        if slug != slugify(slug):
            raise ValidationError("Der Kurzname besteht aus Kleinbuchstaben, Ziffern und Bindestrichen.", field="slug")
        clash = session.scalar(select(Gremium).where(Gremium.slug == slug))
        if clash is not None and clash is not gremium:
            raise ValidationError(f"Den Kurznamen „{slug}“ gibt es schon.", field="slug")
        gremium.slug = slug
    if "level" in given:
        gremium.level = form.level
    if "description" in given:
        gremium.description = form.description
    if "parent" in given:
        parent = require_gremium(session, form.parent) if form.parent else None
        _refuse_loop(gremium, parent)
        gremium.parent = parent


def _bump_meetings(session: Session, gremium: Gremium) -> None:
    """Meetings show the Gremium's name and members: tell subscribers' clients to refresh them."""
    for series in session.scalars(select(MeetingSeries).where(MeetingSeries.gremium_id == gremium.id)):
        series.sequence += 1


def create_gremium(session: Session, actor: str, data: Mapping[str, Any]) -> Gremium:
    """A new Gremium; the slug comes from the name unless given."""
    gremium = Gremium(name="", slug="", description="")
    _apply(session, gremium, data, creating=True)
    with session.no_autoflush:  # the new Gremium hangs on its parent already but is not added yet
        gremium.position = (session.scalar(select(func.max(Gremium.position))) or 0) + 1
    session.add(gremium)
    session.flush()
    audit.record(
        session,
        actor,
        "gremium",
        gremium.id,
        "create",
        f"Gremium „{gremium.name}“ angelegt",
        audit.diff({}, gremium_state(gremium)),
    )
    return gremium


def update_gremium(session: Session, actor: str, gremium: Gremium, data: Mapping[str, Any], version: int) -> Gremium:
    """Change the given fields if ``version`` is current."""
    check_version(session, gremium, "gremium", version)
    before = gremium_state(gremium)
    _apply(session, gremium, data, creating=False)
    changed = audit.diff(before, gremium_state(gremium))
    if not changed:
        return gremium
    _bump_meetings(session, gremium)
    session.flush()
    audit.record(
        session,
        actor,
        "gremium",
        gremium.id,
        "update",
        "Gremium geändert: " + audit.field_names(changed),
        audit.diff(before, gremium_state(gremium)),
    )
    return gremium


def delete_gremium(session: Session, actor: str, gremium: Gremium, version: int) -> None:
    """Remove a Gremium that has no meeting series left."""
    check_version(session, gremium, "gremium", version)
    count = session.scalar(select(func.count()).where(MeetingSeries.gremium_id == gremium.id)) or 0
    if count:
        raise ValidationError(f"Das Gremium hat noch {count} Terminserie(n); bitte diese zuerst löschen.", field="slug")
    audit.record(
        session,
        actor,
        "gremium",
        gremium.id,
        "delete",
        f"Gremium „{gremium.name}“ gelöscht",
        {k: [v, None] for k, v in gremium_state(gremium).items()},
    )
    for child in gremium.children:
        child.parent = None
    session.delete(gremium)
    session.flush()


def set_member(session: Session, actor: str, gremium: Gremium, data: Mapping[str, Any], version: int) -> Membership:
    """Add a person to a Gremium or change their role (lead/member)."""
    check_version(session, gremium, "gremium", version)
    form = validate(MemberInput, data)
    person = require_person(session, form.person)
    role = form.role
    before = gremium_state(gremium)
    member = next((m for m in gremium.memberships if m.person_id == person.id), None)
    if member is None:
        member = Membership(person=person, role=role)
        gremium.memberships.append(member)
    member.role = role
    _member_changed(session, actor, gremium, before, f"Mitglied {person.code} ({role})")
    return member


def remove_member(session: Session, actor: str, gremium: Gremium, code: str, version: int) -> None:
    """Take a person out of a Gremium."""
    check_version(session, gremium, "gremium", version)
    person = require_person(session, code)
    member = next((m for m in gremium.memberships if m.person_id == person.id), None)
    if member is None:
        raise ValidationError(f"{person.code} ist nicht Mitglied dieses Gremiums.", field="person")
    before = gremium_state(gremium)
    gremium.memberships.remove(member)
    _member_changed(session, actor, gremium, before, f"Mitglied {person.code} entfernt")


def _member_changed(session: Session, actor: str, gremium: Gremium, before: dict[str, Any], summary: str) -> None:
    if gremium_state(gremium)["members"] == before["members"]:
        return
    gremium.updated_at = utcnow()
    flag_modified(gremium, "updated_at")  # the Gremium's version counts membership changes too
    _bump_meetings(session, gremium)
    session.flush()
    audit.record(session, actor, "gremium", gremium.id, "members", summary, audit.diff(before, gremium_state(gremium)))
