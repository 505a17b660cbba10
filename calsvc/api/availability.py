"""Absences and closure days over JSON: others see only "abwesend", owners and editors the kind."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from sqlalchemy import select

from calsvc.db import get_session
from calsvc.editing.absences import (
    absence_json,
    create_absence,
    create_closure,
    delete_absence,
    delete_closure,
    update_absence,
)
from calsvc.editing.accounts import may_manage
from calsvc.editing.schemas import AbsenceApiInput, AbsencePatch, ClosureInput
from calsvc.errors import NotFound, ValidationError
from calsvc.models import Absence, ClosureDay, Person, User
from calsvc.schedule.store import require_person
from calsvc.web.auth import bearer_user

from . import bp
from .openapi import ERRORS, IF_MATCH, json_response, operation, path, query, read, write
from .params import window_params
from .write_support import Forbidden, body, if_match, token_user, transaction, writer

__all__: list[str] = []

_WINDOW = (
    query("from", {"type": "string", "format": "date"}, description="Erster Tag, Standard heute"),
    query("to", {"type": "string", "format": "date"}, description="Tag nach dem letzten (exklusiv)"),
)


def _reader() -> User | None:
    """The token's user when one is sent (to show own details), else anonymous."""
    return bearer_user()


@bp.get("/absences")
@operation(
    "Abwesenheiten im Zeitraum [from, to); die Art sehen nur die Person selbst und Bearbeitende (mit Token)",
    {"200": json_response("Abwesenheiten", {"type": "object"}), "404": ERRORS["404"], "422": ERRORS["422"]},
    params=(*_WINDOW, query("person", description="Kürzel, z. B. IntB")),
)
def list_absences() -> Any:
    """Absences overlapping the window, optionally of one person."""
    start, end = window_params(default_days=92)
    session = get_session()
    stmt = select(Absence).where(Absence.start_day < end, Absence.end_day >= start)
    if code := request.args.get("person"):
        stmt = stmt.where(Absence.person_id == require_person(session, code).id)
    user = _reader()
    rows = session.scalars(stmt.order_by(Absence.start_day, Absence.id))
    return jsonify(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "absences": [absence_json(a, private=may_manage(user, a.person)) for a in rows],
        }
    )


@bp.post("/absences")
@write("Abwesenheit eintragen (eigene, oder als Bearbeitende für alle)", "201", body=AbsenceApiInput)
def create_absence_api() -> Any:
    """Enter an absence of ``person``."""
    user = token_user()
    data = body()
    with transaction() as session:
        person = _person(session, data.get("person"))
        if not may_manage(user, person):
            raise Forbidden("Abwesenheiten anderer tragen nur Bearbeitende ein.", field="person")
        absence = create_absence(session, user.name, person, data)
    response = jsonify(absence_json(absence))
    response.status_code = 201
    return response


@bp.patch("/absences/<int:absence_id>")
@write("Abwesenheit ändern (If-Match: ihre Version)", "200", path("id", "integer", arg="absence_id"), IF_MATCH,
       body=AbsencePatch)  # fmt: skip
def update_absence_api(absence_id: int) -> Any:
    """Change an absence (own, or any as editor); the fields not sent stay."""
    user = token_user()
    data = body()
    version = if_match(data)
    with transaction() as session:
        absence = _absence(session, absence_id, user, "ändern")
        if "person" in data and data["person"] != absence.person.code:
            raise ValidationError("Eine Abwesenheit wechselt nicht die Person: bitte neu eintragen.", field="person")
        update_absence(session, user.name, absence, data, version)
    return jsonify(absence_json(absence)), 200, {"ETag": f'"{absence.version}"'}


def _absence(session: Any, absence_id: int, user: User, verb: str) -> Absence:
    """The absence ``absence_id`` if ``user`` may manage it (404, 403 naming ``id``)."""
    absence = session.get(Absence, absence_id)
    if absence is None:
        raise NotFound(f"Die Abwesenheit {absence_id} gibt es nicht.", field="id")
    if not may_manage(user, absence.person):
        raise Forbidden(f"Abwesenheiten anderer {verb} nur Bearbeitende.", field="id")
    return absence


def _person(session: Any, code: Any) -> Person:
    try:
        return require_person(session, str(code or ""))
    except NotFound as exc:
        raise NotFound(exc.message, field="person") from None


@bp.delete("/absences/<int:absence_id>")
@write("Abwesenheit löschen", "204", path("id", "integer", arg="absence_id"))
def delete_absence_api(absence_id: int) -> Any:
    """Delete an absence (own, or any as editor)."""
    user = token_user()
    with transaction() as session:
        delete_absence(session, user.name, _absence(session, absence_id, user, "löschen").id)
    return "", 204


@bp.get("/closures")
@read("Schließtage des Büros im Zeitraum [from, to)", *_WINDOW)
def list_closures() -> Any:
    """Closure days in the window."""
    start, end = window_params(default_days=366)
    rows = get_session().scalars(
        select(ClosureDay).where(ClosureDay.day >= start, ClosureDay.day < end).order_by(ClosureDay.day)
    )
    return jsonify({"closures": [{"id": c.id, "day": c.day.isoformat(), "reason": c.reason} for c in rows]})


@bp.post("/closures")
@write("Schließtage eintragen (ein Tag oder start..end)", "201", body=ClosureInput)
def create_closure_api() -> Any:
    """Add closure days (editors)."""
    user = writer()
    data = body()
    with transaction() as session:
        rows = create_closure(session, user.name, data)
    response = jsonify({"closures": [{"id": c.id, "day": c.day.isoformat(), "reason": c.reason} for c in rows]})
    response.status_code = 201
    return response


@bp.delete("/closures/<int:closure_id>")
@write("Schließtag löschen", "204", path("id", "integer", arg="closure_id"))
def delete_closure_api(closure_id: int) -> Any:
    """Remove one closure day (editors)."""
    user = writer()
    with transaction() as session:
        delete_closure(session, user.name, closure_id)
    return "", 204
