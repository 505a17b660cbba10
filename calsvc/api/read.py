"""Read endpoints: persons, Gremien, series, activities and the occurrences of a window."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from sqlalchemy import select

from calsvc.db import get_session
from calsvc.errors import NotFound
from calsvc.models import Activity, Gremium, MeetingSeries, Person
from calsvc.schedule.engine import occurrences
from calsvc.schedule.store import require_gremium, require_person

from . import bp, document
from .params import window_params
from .serialize import activity_json, gremium_json, occurrence_json, person_json, series_json


@bp.get("/persons")
def list_persons() -> Any:
    """All persons and posts."""
    rows = get_session().scalars(select(Person).order_by(Person.code))
    return jsonify({"persons": [person_json(p) for p in rows]})


@bp.get("/persons/<code>")
def get_person(code: str) -> Any:
    """One person by code."""
    return jsonify(person_json(require_person(get_session(), code)))


@bp.get("/gremien")
def list_gremien() -> Any:
    """All Gremien with members."""
    rows = get_session().scalars(select(Gremium).order_by(Gremium.position, Gremium.name))
    return jsonify({"gremien": [gremium_json(g) for g in rows]})


@bp.get("/gremien/<slug>")
def get_gremium(slug: str) -> Any:
    """One Gremium by slug."""
    return jsonify(gremium_json(require_gremium(get_session(), slug)))


@bp.get("/series")
def list_series() -> Any:
    """All meeting series."""
    rows = get_session().scalars(select(MeetingSeries).order_by(MeetingSeries.id))
    return jsonify({"series": [series_json(s) for s in rows]})


@bp.get("/series/<int:series_id>")
def get_series(series_id: int) -> Any:
    """One meeting series by id."""
    series = get_session().get(MeetingSeries, series_id)
    if series is None:
        raise NotFound(f"Terminserie {series_id} gibt es nicht.", field="id")
    return jsonify(series_json(series))


@bp.get("/activities")
def list_activities() -> Any:
    """All planned activities with their parsed periods."""
    rows = get_session().scalars(select(Activity).order_by(Activity.plan_year, Activity.number))
    return jsonify({"activities": [activity_json(a) for a in rows]})


@bp.get("/activities/<int:activity_id>")
def get_activity(activity_id: int) -> Any:
    """One activity by id."""
    activity = get_session().get(Activity, activity_id)
    if activity is None:
        raise NotFound(f"Aktivität {activity_id} gibt es nicht.", field="id")
    return jsonify(activity_json(activity))


@bp.get("/occurrences")
def list_occurrences() -> Any:
    """Occurrences in ``[from, to)``, optionally for one person or Gremium."""
    start, end = window_params()
    found = occurrences(
        get_session(),
        start,
        end,
        person=request.args.get("person") or None,
        gremium=request.args.get("gremium") or None,
        include_cancelled=request.args.get("cancelled") == "1",
    )
    return jsonify(
        {"from": start.isoformat(), "to": end.isoformat(), "occurrences": [occurrence_json(o) for o in found]}
    )


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


_ERRORS = {
    "404": {"description": "Nicht gefunden", "content": {"application/json": {"schema": _ref("Error")}}},
    "422": {"description": "Ungültige Parameter", "content": {"application/json": {"schema": _ref("Error")}}},
}


def _get(summary: str, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                **_ERRORS,
            },
        }
    }


def _q(name: str, fmt: str | None = None, required: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if fmt:
        schema["format"] = fmt
    return {"name": name, "in": "query", "required": required, "schema": schema}


def _p(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


document(
    {
        "/api/v1/persons": _get("Alle Personen/Stellen"),
        "/api/v1/persons/{code}": _get("Eine Person", [_p("code")]),
        "/api/v1/gremien": _get("Alle Gremien"),
        "/api/v1/gremien/{slug}": _get("Ein Gremium", [_p("slug")]),
        "/api/v1/series": _get("Alle Terminserien"),
        "/api/v1/series/{id}": _get("Eine Terminserie", [_p("id", "integer")]),
        "/api/v1/activities": _get("Alle geplanten Aktivitäten"),
        "/api/v1/activities/{id}": _get("Eine Aktivität", [_p("id", "integer")]),
        "/api/v1/occurrences": _get(
            "Termine im Zeitraum [from, to)",
            [_q("from", "date"), _q("to", "date"), _q("person"), _q("gremium"), _q("cancelled")],
        ),
    }
)
