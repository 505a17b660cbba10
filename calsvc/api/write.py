"""JSON writes for meeting series, their single occurrences and extra dates; the audit trail.

Every write needs ``Authorization: Bearer <token>`` (editor/admin); changes of existing
objects name the version they edit in ``If-Match`` and get 409 when it is stale. Changes that
would create conflicts are refused with 409 ``meeting_conflicts`` unless ``confirm_conflicts``
is true (then the audit entry records them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Response, jsonify, request, url_for

from calsvc.config import conflict_settings
from calsvc.db import get_session
from calsvc.editing import audit
from calsvc.editing.attendance import change_attendance
from calsvc.editing.conflict_check import ConflictReview
from calsvc.editing.occurrence_edits import add_extra_date, change_occurrence, remove_extra_date
from calsvc.editing.restore import restore_series
from calsvc.editing.schemas import (
    AttendanceInput,
    ConflictConfirmation,
    ExtraDateInput,
    OccurrenceChange,
    RestoreInput,
    SeriesInput,
    SeriesPatch,
    validate,
)
from calsvc.editing.series import create_series, require_series, update_series
from calsvc.errors import ValidationError
from calsvc.invitations.delivery import deliver_pending
from calsvc.invitations.service import delete_and_withdraw
from calsvc.invitations.settings import mail_settings
from calsvc.models import MeetingSeries

from . import bp
from .openapi import ERRORS, IF_MATCH, operation, path, query, write
from .serialize import series_json
from .write_support import body, if_match, transaction, writer

__all__: list[str] = []

SID = path("id", "integer", arg="series_id")
OBJECT_TYPE_NAMES = ("series", "person", "gremium", "activity", "absence", "closure", "busy_source", "conflict", "user")


@bp.after_app_request
def _etag(response: Response) -> Response:
    """Single objects carry their version as ETag (for ``If-Match``); 401s name the Bearer scheme."""
    if response.status_code == 401 and request.path.startswith("/api/"):
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="calsvc"')
    single = {"api.get_series", "api.get_person", "api.get_gremium", "api.get_activity"}
    if request.method == "GET" and request.endpoint in single and response.status_code == 200:
        version = (response.get_json(silent=True) or {}).get("version")
        if version is not None:
            response.set_etag(str(version))
    return response


def _answer(series: MeetingSeries, status: int = 200, conflicts: list[str] | None = None) -> Any:
    payload = series_json(series)
    if conflicts:
        payload["confirmed_conflicts"] = conflicts
    response = jsonify(payload)
    response.status_code = status
    response.set_etag(str(series.version))
    if status == 201:
        response.headers["Location"] = url_for("api.get_series", series_id=series.id)
    return response


def _review(data: dict[str, Any]) -> ConflictReview:
    """New conflicts are refused (409 ``meeting_conflicts``) unless ``confirm_conflicts`` is true."""
    confirm = validate(ConflictConfirmation, data).confirm_conflicts
    return ConflictReview(confirm=confirm, settings=conflict_settings())


@bp.post("/series")
@write("Terminserie anlegen", "201", body=SeriesInput)
def create_series_api() -> Any:
    """Create a meeting series."""
    user = writer()
    data = body()
    with transaction() as session:
        review = _review(data)
        series = create_series(session, user.name, data, review)
    return _answer(series, 201, review.accepted)


@bp.patch("/series/<int:series_id>")
@write("Terminserie ändern", "200", SID, IF_MATCH, body=SeriesPatch)
def update_series_api(series_id: int) -> Any:
    """Change fields of a series (If-Match: its version)."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        review = _review(data)
        series = update_series(session, user.name, require_series(session, series_id), data, version, review)
    return _answer(series, 200, review.accepted)


@bp.delete("/series/<int:series_id>")
@write("Terminserie löschen (verschwindet aus allen Feeds)", "204", SID, IF_MATCH)
def delete_series_api(series_id: int) -> Any:
    """Delete a series; it leaves every feed."""
    user = writer()
    version = if_match()
    with transaction() as session:
        series = require_series(session, series_id)
        delete_and_withdraw(session, user.name, series, version, mail_settings(), datetime.now(UTC))
    deliver_pending(session, mail_settings())  # the CANCEL to those invited, when a mail server is set
    return "", 204


@bp.post("/series/restore")
@write("Gelöschte Terminserie wiederherstellen (aus ihrem Verlaufseintrag)", "201", body=RestoreInput)
def restore_series_api() -> Any:
    """Undo the deletion recorded in audit entry ``audit_entry``: the series with exceptions and people."""
    user = writer()
    data = body()
    entry = validate(RestoreInput, data).audit_entry
    with transaction() as session:
        review = _review(data)
        series = restore_series(session, user.name, entry, review)
    return _answer(series, 201, review.accepted)


@bp.post("/series/<int:series_id>/exceptions")
@write(
    "Einzeltermin absagen, verschieben, Ort ändern oder wiederherstellen", "200", SID, IF_MATCH, body=OccurrenceChange
)
def change_occurrence_api(series_id: int) -> Any:
    """Cancel, move, relocate or restore one occurrence (``action``, ``recurrence_id``)."""
    user = writer()
    data = body()
    version = if_match(data)
    action = str(data.get("action") or "")
    with transaction() as session:
        series = require_series(session, series_id)
        review = _review(data)
        change_occurrence(session, user.name, series, action, data, version, review)
    return _answer(series, 200, review.accepted)


@bp.post("/series/<int:series_id>/attendance")
@write(
    "Person oder Gast nur an einem Termin dabei (add), an einem Termin nicht dabei (remove), Änderung aufheben (undo)",
    "200",
    SID,
    IF_MATCH,
    body=AttendanceInput,
)
def change_attendance_api(series_id: int) -> Any:
    """Change who takes part in one date of a series ("nur an diesem Termin")."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        series = require_series(session, series_id)
        review = _review(data)
        change_attendance(session, user.name, series, data, version, review)
    return _answer(series, 200, review.accepted)


@bp.post("/series/<int:series_id>/extra-dates")
@write("Zusatztermin anlegen", "201", SID, IF_MATCH, body=ExtraDateInput)
def add_extra_date_api(series_id: int) -> Any:
    """Add a Zusatztermin to a series."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        series = require_series(session, series_id)
        review = _review(data)
        add_extra_date(session, user.name, series, data, version, review)
    return _answer(series, 201, review.accepted)


@bp.delete("/series/<int:series_id>/extra-dates/<int:extra_id>")
@write("Zusatztermin löschen", "204", SID, path("extra_id", "integer"), IF_MATCH)
def remove_extra_date_api(series_id: int, extra_id: int) -> Any:
    """Delete a Zusatztermin (If-Match: the series' version)."""
    user = writer()
    version = if_match()
    with transaction() as session:
        remove_extra_date(session, user.name, require_series(session, series_id), extra_id, version)
    return "", 204


@bp.get("/audit")
@operation(
    "Änderungsverlauf eines Objekts (neueste zuerst)",
    {"200": {"description": "OK"}, "401": ERRORS["401"], "422": ERRORS["422"], "404": ERRORS["404"]},
    params=(
        query("object_type", {"enum": list(OBJECT_TYPE_NAMES)}, required=True),
        query("object_id", required=True, description="Id; bei Personen auch das Kürzel, bei Gremien der Kurzname"),
    ),
)
def audit_api() -> Any:
    """The audit trail of one object, newest first."""
    kind = request.args.get("object_type") or ""
    raw = request.args.get("object_id") or ""
    if kind not in OBJECT_TYPES:
        raise ValidationError(f"object_type muss eine von {', '.join(OBJECT_TYPES)} sein.", field="object_type")
    object_id = OBJECT_TYPES[kind](get_session(), raw)
    entries = audit.history(get_session(), kind, object_id)
    return jsonify({"object_type": kind, "object_id": object_id, "entries": [audit.entry_json(e) for e in entries]})


def _numeric(_session: Any, raw: str) -> int:
    if not raw.isdigit():
        raise ValidationError("object_id muss eine Zahl sein.", field="object_id")
    return int(raw)


def _person_id(session: Any, raw: str) -> int:
    from calsvc.schedule.store import require_person

    return int(raw) if raw.isdigit() else require_person(session, raw).id


def _gremium_id(session: Any, raw: str) -> int:
    from calsvc.schedule.store import require_gremium

    return int(raw) if raw.isdigit() else require_gremium(session, raw).id


OBJECT_TYPES: dict[str, Any] = {  # keys: OBJECT_TYPE_NAMES
    "series": _numeric,
    "person": _person_id,
    "gremium": _gremium_id,
    "activity": _numeric,
    "absence": _numeric,
    "closure": _numeric,
    "busy_source": _numeric,
    "conflict": _numeric,
    "user": _numeric,
}
