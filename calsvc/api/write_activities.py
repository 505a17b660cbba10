"""JSON writes for activities and their progress notes, and the live Terminierung parser."""

from __future__ import annotations

from typing import Annotated, Any

from flask import jsonify, request, url_for
from pydantic import BaseModel

from calsvc import inputs as t
from calsvc.editing.activities import add_progress, create_activity, delete_activity, parse, update_activity
from calsvc.editing.schemas import ActivityInput, ActivityPatch, ProgressInput, validate
from calsvc.errors import FuzzyDateError, NotFound
from calsvc.models import Activity
from calsvc.schedule.bounds import LAST_YEAR

from . import bp
from .openapi import IF_MATCH, error, operation, path, write
from .serialize import activity_json
from .write_support import body, if_match, transaction, writer

AID = path("id", "integer", arg="activity_id")


class TerminierungQuery(BaseModel):
    """The query of the live Terminierung check: the text and the plan year it is read in."""

    text: str
    year: Annotated[int | None, t.integer(lo=2000, hi=LAST_YEAR, required=False)] = None


def _require(session: Any, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFound(f"Aktivität {activity_id} gibt es nicht.", field="id")
    return activity


def _answer(activity: Activity, status: int = 200) -> Any:
    response = jsonify({**activity_json(activity), "sequence": activity.sequence})
    response.status_code = status
    response.set_etag(str(activity.version))
    if status == 201:
        response.headers["Location"] = url_for("api.get_activity", activity_id=activity.id)
    return response


@bp.post("/activities")
@write("Aktivität anlegen", "201", body=ActivityInput)
def create_activity_api() -> Any:
    """Create an activity; its Terminierung must be readable (422 naming ``terminierung``)."""
    user = writer()
    data = body()
    with transaction() as session:
        activity = create_activity(session, user.name, data)
    return _answer(activity, 201)


@bp.patch("/activities/<int:activity_id>")
@write("Aktivität ändern", "200", AID, IF_MATCH, body=ActivityPatch)
def update_activity_api(activity_id: int) -> Any:
    """Change an activity (If-Match: its version)."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        activity = update_activity(session, user.name, _require(session, activity_id), data, version)
    return _answer(activity)


@bp.delete("/activities/<int:activity_id>")
@write("Aktivität löschen", "204", AID, IF_MATCH)
def delete_activity_api(activity_id: int) -> Any:
    """Delete an activity."""
    user = writer()
    version = if_match()
    with transaction() as session:
        delete_activity(session, user.name, _require(session, activity_id), version)
    return "", 204


@bp.post("/activities/<int:activity_id>/progress")
@write("Bearbeitungsstand mit Datum eintragen", "201", AID, IF_MATCH, body=ProgressInput)
def add_progress_api(activity_id: int) -> Any:
    """Add a dated progress note ``{"day", "status", "note"}``; the activity takes its status."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        activity = _require(session, activity_id)
        add_progress(session, user.name, activity, data, version)
    return _answer(activity, 201)


@bp.get("/terminierung/parse")
@operation(
    "Terminierungstext lesen (Live-Prüfung im Formular)",
    {"200": {"description": "Zeiträume und Beschriftung"}, "422": error("Nicht lesbar; part nennt die Stelle")},
    query_model=TerminierungQuery,
)
def parse_terminierung_api() -> Any:
    """What a Terminierung text means (for live feedback in the form); 422 with the unreadable part."""
    from flask import current_app

    asked = validate(TerminierungQuery, {"text": "", **request.args.to_dict()})
    year = asked.year or current_app.config["CALSVC_PLAN_YEAR"]
    try:
        term = parse(asked.text, year)
    except FuzzyDateError as exc:
        return jsonify({"error": {**exc.to_dict(), "part": exc.part}}), 422
    return jsonify(
        {
            "text": term.raw,
            "label": term.label(),
            "ongoing": term.ongoing,
            "tentative": term.tentative,
            "unscheduled": term.unscheduled,
            "periods": [
                {
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "precision": str(p.precision),
                    "focus": p.focus,
                    "label": p.label(),
                }
                for p in term.periods
            ],
        }
    )
