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
from calsvc.web.auth import bearer_user

from . import bp
from .openapi import path, query, read
from .params import window_params
from .serialize import activity_json, gremium_json, occurrence_json, person_json, series_json


@bp.get("/persons")
@read("Alle Personen/Stellen")
def list_persons() -> Any:
    """All persons and posts."""
    rows = get_session().scalars(select(Person).order_by(Person.code))
    return jsonify({"persons": [person_json(p) for p in rows]})


@bp.get("/persons/<code>")
@read("Eine Person", path("code"))
def get_person(code: str) -> Any:
    """One person by code."""
    return jsonify(person_json(require_person(get_session(), code)))


@bp.get("/gremien")
@read("Alle Gremien")
def list_gremien() -> Any:
    """All Gremien with members."""
    rows = get_session().scalars(select(Gremium).order_by(Gremium.position, Gremium.name))
    return jsonify({"gremien": [gremium_json(g) for g in rows]})


@bp.get("/gremien/<slug>")
@read("Ein Gremium", path("slug"))
def get_gremium(slug: str) -> Any:
    """One Gremium by slug."""
    return jsonify(gremium_json(require_gremium(get_session(), slug)))


@bp.get("/series")
@read("Alle Terminserien")
def list_series() -> Any:
    """All meeting series."""
    rows = get_session().scalars(select(MeetingSeries).order_by(MeetingSeries.id))
    contacts = bearer_user() is not None  # guests' e-mail addresses only for known users
    return jsonify({"series": [series_json(s, contacts=contacts) for s in rows]})


@bp.get("/series/<int:series_id>")
@read("Eine Terminserie", path("id", "integer", arg="series_id"))
def get_series(series_id: int) -> Any:
    """One meeting series by id."""
    series = get_session().get(MeetingSeries, series_id)
    if series is None:
        raise NotFound(f"Terminserie {series_id} gibt es nicht.", field="id")
    return jsonify(series_json(series, contacts=bearer_user() is not None))


@bp.get("/activities")
@read("Alle geplanten Aktivitäten")
def list_activities() -> Any:
    """All planned activities with their parsed periods."""
    rows = get_session().scalars(select(Activity).order_by(Activity.plan_year, Activity.number))
    return jsonify({"activities": [activity_json(a) for a in rows]})


@bp.get("/activities/<int:activity_id>")
@read("Eine Aktivität", path("id", "integer", arg="activity_id"))
def get_activity(activity_id: int) -> Any:
    """One activity by id."""
    activity = get_session().get(Activity, activity_id)
    if activity is None:
        raise NotFound(f"Aktivität {activity_id} gibt es nicht.", field="id")
    return jsonify(activity_json(activity))


@bp.get("/occurrences")
@read(
    "Termine im Zeitraum [from, to)",
    query("from", {"type": "string", "format": "date"}),
    query("to", {"type": "string", "format": "date"}),
    query("person"),
    query("gremium"),
    query("cancelled"),
)
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
