"""JSON writes for persons/posts and Gremien with their members (Bearer token, If-Match)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for

from calsvc.editing.gremien import create_gremium, delete_gremium, remove_member, set_member, update_gremium
from calsvc.editing.persons import create_person, delete_person, update_person
from calsvc.editing.schemas import GremiumInput, GremiumPatch, MemberInput, PersonInput, PersonPatch
from calsvc.schedule.store import require_gremium, require_person

from . import bp
from .openapi import IF_MATCH, path, write
from .serialize import gremium_json, person_json
from .write_support import body, if_match, transaction, writer

CODE, SLUG = path("code"), path("slug")


def _answer(payload: dict[str, Any], status: int = 200, location: str | None = None) -> Any:
    response = jsonify(payload)
    response.status_code = status
    response.set_etag(str(payload["version"]))
    if location:
        response.headers["Location"] = location
    return response


@bp.post("/persons")
@write("Person/Stelle anlegen", "201", body=PersonInput)
def create_person_api() -> Any:
    """Create a person/post."""
    user = writer()
    data = body()
    with transaction() as session:
        person = create_person(session, user.name, data)
    return _answer(person_json(person), 201, url_for("api.get_person", code=person.code))


@bp.patch("/persons/<code>")
@write("Person ändern", "200", CODE, IF_MATCH, body=PersonPatch)
def update_person_api(code: str) -> Any:
    """Change a person (If-Match: its version)."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        person = update_person(session, user.name, require_person(session, code), data, version)
    return _answer(person_json(person))


@bp.delete("/persons/<code>")
@write("Person löschen", "204", CODE, IF_MATCH)
def delete_person_api(code: str) -> Any:
    """Delete a person with their memberships."""
    user = writer()
    version = if_match()
    with transaction() as session:
        delete_person(session, user.name, require_person(session, code), version)
    return "", 204


@bp.post("/gremien")
@write("Gremium anlegen", "201", body=GremiumInput)
def create_gremium_api() -> Any:
    """Create a Gremium (slug from the name unless given)."""
    user = writer()
    data = body()
    with transaction() as session:
        gremium = create_gremium(session, user.name, data)
    return _answer(gremium_json(gremium), 201, url_for("api.get_gremium", slug=gremium.slug))


@bp.patch("/gremien/<slug>")
@write("Gremium ändern", "200", SLUG, IF_MATCH, body=GremiumPatch)
def update_gremium_api(slug: str) -> Any:
    """Change a Gremium (If-Match: its version)."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        gremium = update_gremium(session, user.name, require_gremium(session, slug), data, version)
    return _answer(gremium_json(gremium))


@bp.delete("/gremien/<slug>")
@write("Gremium löschen (nur ohne Terminserien)", "204", SLUG, IF_MATCH)
def delete_gremium_api(slug: str) -> Any:
    """Delete a Gremium without meeting series."""
    user = writer()
    version = if_match()
    with transaction() as session:
        delete_gremium(session, user.name, require_gremium(session, slug), version)
    return "", 204


@bp.post("/gremien/<slug>/members")
@write("Mitglied hinzufügen oder Rolle ändern", "200", SLUG, IF_MATCH, body=MemberInput)
def set_member_api(slug: str) -> Any:
    """Add a member or change a role: ``{"person": "Int1", "role": "lead"}``."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        gremium = require_gremium(session, slug)
        set_member(session, user.name, gremium, data, version)
    return _answer(gremium_json(gremium))


@bp.delete("/gremien/<slug>/members/<code>")
@write("Mitglied entfernen", "200", SLUG, CODE, IF_MATCH)
def remove_member_api(slug: str, code: str) -> Any:
    """Remove a member (If-Match: the Gremium's version)."""
    user = writer()
    version = if_match()
    with transaction() as session:
        gremium = require_gremium(session, slug)
        remove_member(session, user.name, gremium, code, version)
    return _answer(gremium_json(gremium))
