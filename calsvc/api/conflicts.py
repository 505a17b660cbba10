"""Conflict endpoints: list conflicts, check a proposed meeting (read-only), find free slots."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from calsvc.config import conflict_settings
from calsvc.conflicts.digest import reaches
from calsvc.conflicts.entries import conflict_digest
from calsvc.conflicts.proposals import ProposalInput
from calsvc.conflicts.service import PROPOSAL_UID, check_proposal, free_slots
from calsvc.conflicts.sweep import Conflict, agenda_path, at_least, count_by_kind
from calsvc.db import get_session
from calsvc.editing.conflict_acks import acknowledge, unacknowledge
from calsvc.editing.schemas import AckInput
from calsvc.errors import ValidationError
from calsvc.inputs import validate
from calsvc.schedule.specs import Occurrence
from calsvc.web.edit_links import edit_url

from . import bp
from .openapi import json_response, operation, path, ref, write
from .openapi import query as _q
from .params import window_params
from .write_support import body, transaction, writer

__all__: list[str] = []

MAX_SLOT_MINUTES = 24 * 60
MAX_LIMIT = 500


_ERRORS = {  # anonymous and expensive: rate-limited per client address (calsvc/web/guards.py)
    "404": json_response("Person oder Gremium unbekannt", ref("Error")),
    "422": json_response("Ungültige Eingabe oder zu viel Arbeit für eine Anfrage", ref("Error")),
    "429": json_response("Zu viele Anfragen von dieser Adresse; Retry-After sagt, wann wieder", ref("Error")),
}
_WINDOW = (
    _q("from", {"type": "string", "format": "date"}, description="Erster Tag (JJJJ-MM-TT), Standard heute"),
    _q("to", {"type": "string", "format": "date"},
       description="Tag nach dem letzten (exklusiv), höchstens 5 Jahre nach from"),
)  # fmt: skip
# Response schemas; the body of /conflicts/check is calsvc.conflicts.proposals.ProposalInput.
SCHEMAS: dict[str, dict[str, Any]] = {
    "Conflict": {
        "type": "object",
        "required": ["kind", "severity", "day", "message", "occurrences"],
        "properties": {
            "kind": {"enum": ["overlap", "holiday", "closure", "vacancy", "lead_missing", "absence", "busy"]},
            "kind_label": {"type": "string"},
            "severity": {"enum": ["info", "warning", "critical"]},
            "day": {"type": "string", "format": "date"},
            "person": {"type": ["string", "null"]},
            "message": {"type": "string", "description": "Deutsche Erklärung"},
            "occurrences": {"type": "array", "items": {"type": "object"}},
            "agenda": {"type": "string", "description": "Link zum Tag in der Monatsagenda"},
        },
    },
    "ConflictList": {
        "type": "object",
        "properties": {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "count": {"type": "integer"},
            "by_kind": {"type": "object", "additionalProperties": {"type": "integer"}},
            "entries": {"type": "array", "items": {"type": "object"}, "description": "Ein Eintrag je Zusammenstoß"},
            "hints": {"type": "array", "items": {"type": "object"}, "description": "Ein Hinweis je unbesetzter Stelle"},
            "acknowledged_hidden": {"type": "integer"},
            "conflicts": {"type": "array", "items": ref("Conflict")},
        },
    },
    "ProposalCheck": {
        "type": "object",
        "properties": {
            "ok": {"type": "boolean"},
            "count": {"type": "integer"},
            "conflict_count": {"type": "integer"},
            "occurrences": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "start": {"type": "string", "format": "date-time"},
                        "end": {"type": "string", "format": "date-time"},
                        "ok": {"type": "boolean"},
                        "conflicts": {"type": "array", "items": ref("Conflict")},
                    },
                },
            },
        },
    },
}


def _conflict_json(conflict: Conflict) -> dict[str, Any]:
    return {**conflict.to_dict(), "agenda": agenda_path(conflict.day)}


@bp.get("/conflicts")
@operation(
    "Konflikte im Zeitraum [from, to): Überschneidungen, Feiertage, Schließtage, Vakanzen, fehlende Leitung",
    {"200": json_response("Konflikte", ref("ConflictList")), **_ERRORS},
    params=(
        *_WINDOW,
        _q("person", description="Kürzel, z. B. IntB"),
        _q("gremium", description="Slug eines Gremiums"),
        _q("severity", {"enum": ["info", "warning", "critical"]}, description="Nur ab dieser Schwere"),
        _q("all", {"enum": ["0", "1"]}, description="1: auch zur Kenntnis genommene Einträge"),
    ),
    schemas=SCHEMAS,
)
def list_conflicts() -> Any:
    """Conflicts on the days ``[from, to)``: entries (one per clash), vacancy hints, and every single conflict."""
    start, end = window_params()
    severity = request.args.get("severity") or None
    digest = conflict_digest(
        get_session(),
        start,
        end,
        person=request.args.get("person") or None,
        gremium=request.args.get("gremium") or None,
        settings=conflict_settings(),
        show_acknowledged=request.args.get("all") in ("1", "true"),
    )
    found = at_least(digest.conflicts, severity)
    return jsonify(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "count": len(found),
            "by_kind": count_by_kind(found),
            "entries": [e.to_dict(_edit_link) for e in digest.entries if at_least(e.conflicts, severity)],
            "hints": [h.to_dict() for h in digest.hints if reaches(h.severity, severity)],
            "acknowledged_hidden": digest.hidden,
            "conflicts": [_conflict_json(c) for c in found],
        }
    )


def _edit_link(occ: Occurrence) -> str | None:
    """The edit page of a meeting date (for editors), as the pages link it."""
    return None if occ.kind != "meeting" or occ.uid == PROPOSAL_UID else edit_url(occ)


@bp.post("/conflicts/acknowledgements")
@write("Konflikt-Eintrag oder Hinweis „zur Kenntnis genommen“ (key aus entries/hints)", "201", body=AckInput)
def acknowledge_api() -> Any:
    """Mark an entry as known; it is hidden until either meeting changes."""
    user = writer()
    form = validate(AckInput, body())
    with transaction() as session:
        ack = acknowledge(session, user.name, form.key, form.summary)
    response = jsonify({"key": ack.key, "by": ack.actor, "at": ack.at.isoformat() + "Z"})
    response.status_code = 201
    return response


@bp.delete("/conflicts/acknowledgements/<key>")
@write("Kenntnisnahme zurücknehmen", "204", path("key"))
def unacknowledge_api(key: str) -> Any:
    """Show the entry again."""
    user = writer()
    with transaction() as session:
        unacknowledge(session, user.name, key)
    return "", 204


@bp.post("/conflicts/check")
@operation(
    "Vorgeschlagenen Termin prüfen (nichts wird gespeichert, keine Anmeldung nötig)",
    {"200": json_response("Ergebnis je vorgeschlagenem Termin", ref("ProposalCheck")), **_ERRORS},
    body=ProposalInput,
    schemas=SCHEMAS,
)
def check_conflicts() -> Any:
    """Check a proposed meeting against existing occurrences; nothing is saved, so no login is needed."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("Der Anfrage-Körper muss ein JSON-Objekt sein.", field="body")
    results = check_proposal(get_session(), data, settings=conflict_settings())
    return jsonify(
        {
            "ok": all(r.ok for r in results),
            "count": len(results),
            "conflict_count": sum(len(r.conflicts) for r in results),
            "occurrences": [{**r.to_dict(), "conflicts": [_conflict_json(c) for c in r.conflicts]} for r in results],
        }
    )


def _int_arg(name: str, default: int | None, low: int, high: int) -> int:
    """``?name=<int>`` within ``[low, high]``; 422 naming ``name`` otherwise."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        if default is None:
            raise ValidationError(f"Parameter „{name}“ fehlt.", field=name)
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(f"„{raw}“ ist keine ganze Zahl.", field=name) from None
    if not low <= value <= high:
        raise ValidationError(f"„{name}“ muss zwischen {low} und {high} liegen.", field=name)
    return value


@bp.get("/free-slots")
@operation(
    "Freie Zeitfenster aller genannten Personen in der Arbeitszeit (ohne Feiertage)",
    {"200": json_response("Freie Zeitfenster, früheste zuerst", {"type": "object"}), **_ERRORS},
    params=(
        _q("persons", required=True, description="Kürzel mit Komma, z. B. IntB,Int1"),
        _q(
            "duration",
            {"type": "integer", "minimum": 1, "maximum": MAX_SLOT_MINUTES},
            required=True,
            description="Dauer in Minuten",
        ),
        *_WINDOW,
        _q(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            description="Höchstzahl der Vorschläge (Standard 20)",
        ),
    ),
)
def list_free_slots() -> Any:
    """Slots of ``duration`` minutes when all ``persons`` are free, inside working hours, earliest first."""
    persons = [c.strip() for c in request.args.get("persons", "").split(",") if c.strip()]
    if not persons:
        raise ValidationError("Parameter „persons“ fehlt (Kürzel mit Komma, z. B. IntB,Int1).", field="persons")
    duration = _int_arg("duration", None, 1, MAX_SLOT_MINUTES)
    start, end = window_params(default_days=14)
    limit = _int_arg("limit", 20, 1, MAX_LIMIT)
    slots = free_slots(get_session(), persons, duration, start, end, limit=limit, settings=conflict_settings())
    return jsonify(
        {
            "persons": persons,
            "duration": duration,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "slots": [{"start": s.isoformat(), "end": e.isoformat()} for s, e in slots],
        }
    )
