"""OpenAPI documentation of the write endpoints: request schemas, Bearer security, If-Match, errors."""

from __future__ import annotations

from typing import Any

from . import document

__all__: list[str] = []


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": _ref("Error")}}}


ERRORS = {
    "401": _error("Kein oder ungültiges API-Token"),
    "403": _error("Rolle darf nicht schreiben"),
    "404": _error("Nicht gefunden"),
    "409": _error("Veraltete Version (mit current_version und changes) oder unbestätigte Terminkonflikte"),
    "422": _error("Ungültige Eingabe; field nennt das Feld"),
    "428": _error("If-Match fehlt"),
}
IF_MATCH = {
    "name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
    "description": 'Die Version des Objekts aus dem ETag, z. B. "3" (alternativ "version" im JSON-Körper).',
}  # fmt: skip


def _path(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _op(summary: str, schema: str | None, ok: str, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "security": [{"bearer": []}],
        "parameters": params or [],
        "responses": {ok: {"description": "OK"}, **ERRORS},
    }
    if schema:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}
    return op


_S = {"type": "string"}
_I = {"type": "integer"}
_B = {"type": "boolean"}
_D = {"type": "string", "format": "date"}
_DT = {"type": "string", "description": "Berliner Ortszeit JJJJ-MM-TTTHH:MM"}
CONFIRM = {"type": "boolean", "description": "Trotz Terminkonflikten speichern (wird im Änderungsverlauf vermerkt)"}

SCHEMAS: dict[str, dict[str, Any]] = {
    "SeriesInput": {
        "type": "object",
        "required": ["title", "dtstart", "duration_minutes"],
        "properties": {
            "gremium": _S, "title": _S, "dtstart": _DT, "duration_minutes": _I, "location": _S, "description": _S,
            "status": {"enum": ["confirmed", "tentative", "cancelled"]},
            "rrule": {"type": "string", "description": "RRULE für Fachleute (ohne pattern)"},
            "pattern": {"enum": ["once", "weekly", "biweekly", "monthly", "bimonthly", "custom"]},
            "nth": {"type": "integer", "enum": [1, 2, 3, 4, -1]}, "skip_summer": _B, "until": _D, "count": _I,
            "confirm_conflicts": CONFIRM,
        },
    },
    "OccurrenceChange": {
        "type": "object",
        "required": ["action", "recurrence_id"],
        "properties": {
            "action": {"enum": ["cancel", "move", "relocate", "restore"]}, "recurrence_id": _DT,
            "new_start": _DT, "new_duration_minutes": _I, "new_location": _S, "note": _S, "confirm_conflicts": CONFIRM,
        },
    },
    "ExtraDateInput": {
        "type": "object", "required": ["start"],
        "properties": {"start": _DT, "duration_minutes": _I, "location": _S, "note": _S, "confirm_conflicts": CONFIRM},
    },
    "PersonInput": {
        "type": "object", "required": ["code"],
        "properties": {"code": _S, "title": _S, "name": _S, "email": _S, "is_external": _B, "vacant": _B,
                       "vacant_from": _D, "vacant_until": _D, "notes": _S},
    },
    "GremiumInput": {
        "type": "object", "required": ["name"],
        "properties": {"name": _S, "slug": _S, "level": {"enum": ["bezirklich", "überbezirklich"]},
                       "parent": _S, "description": _S},
    },
    "MemberInput": {
        "type": "object", "required": ["person"],
        "properties": {"person": _S, "role": {"enum": ["lead", "member"]}},
    },
    "ActivityInput": {
        "type": "object", "required": ["plan_year", "number", "title", "terminierung"],
        "properties": {"plan_year": _I, "number": _I, "title": _S, "terminierung": _S,
                       "responsible": {"type": "array", "items": _S},
                       "status": {"enum": ["geplant", "in Arbeit", "erledigt", "verschoben", "entfallen"]}},
    },
    "ProgressInput": {
        "type": "object", "required": ["status"],
        "properties": {"day": _D, "status": {"enum": ["geplant", "in Arbeit", "erledigt", "verschoben", "entfallen"]},
                       "note": _S},
    },
}  # fmt: skip

SID, CODE, SLUG, AID = _path("id", "integer"), _path("code"), _path("slug"), _path("id", "integer")

document(
    {
        "/api/v1/series": {"post": _op("Terminserie anlegen", "SeriesInput", "201")},
        "/api/v1/series/{id}": {
            "patch": _op("Terminserie ändern", "SeriesInput", "200", [SID, IF_MATCH]),
            "delete": _op("Terminserie löschen (verschwindet aus allen Feeds)", None, "204", [SID, IF_MATCH]),
        },
        "/api/v1/series/{id}/exceptions": {
            "post": _op("Einzeltermin absagen, verschieben, Ort ändern oder wiederherstellen", "OccurrenceChange",
                        "200", [SID, IF_MATCH]),
        },
        "/api/v1/series/{id}/extra-dates": {"post": _op("Zusatztermin anlegen", "ExtraDateInput", "201", [SID, IF_MATCH])},
        "/api/v1/series/{id}/extra-dates/{extra_id}": {
            "delete": _op("Zusatztermin löschen", None, "204", [SID, _path("extra_id", "integer"), IF_MATCH]),
        },
        "/api/v1/persons": {"post": _op("Person/Stelle anlegen", "PersonInput", "201")},
        "/api/v1/persons/{code}": {
            "patch": _op("Person ändern", "PersonInput", "200", [CODE, IF_MATCH]),
            "delete": _op("Person löschen", None, "204", [CODE, IF_MATCH]),
        },
        "/api/v1/gremien": {"post": _op("Gremium anlegen", "GremiumInput", "201")},
        "/api/v1/gremien/{slug}": {
            "patch": _op("Gremium ändern", "GremiumInput", "200", [SLUG, IF_MATCH]),
            "delete": _op("Gremium löschen (nur ohne Terminserien)", None, "204", [SLUG, IF_MATCH]),
        },
        "/api/v1/gremien/{slug}/members": {
            "post": _op("Mitglied hinzufügen oder Rolle ändern", "MemberInput", "200", [SLUG, IF_MATCH]),
        },
        "/api/v1/gremien/{slug}/members/{code}": {
            "delete": _op("Mitglied entfernen", None, "200", [SLUG, CODE, IF_MATCH]),
        },
        "/api/v1/activities": {"post": _op("Aktivität anlegen", "ActivityInput", "201")},
        "/api/v1/activities/{id}": {
            "patch": _op("Aktivität ändern", "ActivityInput", "200", [AID, IF_MATCH]),
            "delete": _op("Aktivität löschen", None, "204", [AID, IF_MATCH]),
        },
        "/api/v1/activities/{id}/progress": {
            "post": _op("Bearbeitungsstand mit Datum eintragen", "ProgressInput", "201", [AID, IF_MATCH]),
        },
        "/api/v1/audit": {
            "get": {
                "summary": "Änderungsverlauf eines Objekts (neueste zuerst)",
                "parameters": [
                    {"name": "object_type", "in": "query", "required": True,
                     "schema": {"enum": ["series", "person", "gremium", "activity"]}},
                    {"name": "object_id", "in": "query", "required": True, "schema": _S,
                     "description": "Id; bei Personen auch das Kürzel, bei Gremien der Kurzname"},
                ],
                "responses": {"200": {"description": "OK"}, "422": ERRORS["422"], "404": ERRORS["404"]},
            }
        },
        "/api/v1/terminierung/parse": {
            "get": {
                "summary": "Terminierungstext lesen (Live-Prüfung im Formular)",
                "parameters": [
                    {"name": "text", "in": "query", "required": True, "schema": _S},
                    {"name": "year", "in": "query", "required": False, "schema": _I},
                ],
                "responses": {"200": {"description": "Zeiträume und Beschriftung"},
                              "422": _error("Nicht lesbar; part nennt die Stelle")},
            }
        },
    },
    SCHEMAS,
)  # fmt: skip
