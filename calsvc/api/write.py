"""JSON writes for meeting series, their single occurrences and extra dates; the audit trail.

Every write needs ``Authorization: Bearer <token>`` (editor/admin); changes of existing
objects name the version they edit in ``If-Match`` and get 409 when it is stale. Changes that
would create conflicts are refused with 409 ``meeting_conflicts`` unless ``confirm_conflicts``
is true (then the audit entry records them).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for

from ..db import get_session
from ..editing import audit
from ..editing.conflict_check import occurrence_proposal, save_checked, series_proposal
from ..editing.fields import boolean
from ..editing.occurrence_edits import add_extra_date, change_occurrence, remove_extra_date
from ..editing.series import create_series, delete_series, require_series, update_series
from ..editing.versions import StaleEdit
from ..errors import CalsvcError, ValidationError
from ..models import MeetingSeries
from . import bp
from .serialize import series_json
from .write_support import body, if_match, transaction, writer

__all__ = ["MeetingConflicts"]


class MeetingConflicts(CalsvcError):
    """The change would create conflicts; resend with ``confirm_conflicts: true`` to save anyway."""

    code = "meeting_conflicts"
    http_status = 409

    def __init__(self, conflicts: list[str]) -> None:
        super().__init__(
            "Die Änderung würde Konflikte erzeugen. Mit „confirm_conflicts“: true trotzdem speichern.",
            field="confirm_conflicts",
        )
        self.conflicts = conflicts


@bp.app_errorhandler(StaleEdit)
def _stale(exc: StaleEdit) -> Any:
    """409 with the current version and what changed since the client's version."""
    from flask import render_template

    if request.path.startswith("/api/"):
        return jsonify({"error": exc.to_dict()}), 409
    return render_template("edit/stale.html", error=exc), 409


@bp.app_errorhandler(MeetingConflicts)
def _conflicts(exc: MeetingConflicts) -> Any:
    return jsonify({"error": {**exc.to_dict(), "conflicts": exc.conflicts}}), 409


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


def _checked(apply: Any, before: Any, after: Any, confirm: bool) -> tuple[Any, list[str]]:
    result, conflicts = save_checked(
        get_session(), apply, before, after, lambda r: getattr(r, "series_id", None) or getattr(r, "id", None),
        confirm=confirm,
    )  # fmt: skip
    if result is None:
        raise MeetingConflicts(conflicts)
    return result, conflicts


@bp.post("/series")
def create_series_api() -> Any:
    """Create a meeting series."""
    user = writer()
    data = body()
    with transaction() as session:
        series, conflicts = _checked(
            lambda c: create_series(session, user.name, data, confirmed=c), None, series_proposal,
            boolean(data, "confirm_conflicts"),
        )  # fmt: skip
    return _answer(series, 201, conflicts)


@bp.patch("/series/<int:series_id>")
def update_series_api(series_id: int) -> Any:
    """Change fields of a series (If-Match: its version)."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        series = require_series(session, series_id)
        before = series_proposal(series)
        series, conflicts = _checked(
            lambda c: update_series(session, user.name, series, data, version, confirmed=c), before, series_proposal,
            boolean(data, "confirm_conflicts"),
        )  # fmt: skip
    return _answer(series, 200, conflicts)


@bp.delete("/series/<int:series_id>")
def delete_series_api(series_id: int) -> Any:
    """Delete a series; it leaves every feed."""
    user = writer()
    version = if_match()
    with transaction() as session:
        delete_series(session, user.name, require_series(session, series_id), version)
    return "", 204


@bp.post("/series/<int:series_id>/exceptions")
def change_occurrence_api(series_id: int) -> Any:
    """Cancel, move, relocate or restore one occurrence (``action``, ``recurrence_id``)."""
    user = writer()
    data = body()
    version = if_match(data)
    action = str(data.get("action") or "")
    with transaction() as session:
        series = require_series(session, series_id)
        rid = data.get("recurrence_id")
        before = _occurrence_before(series, rid)
        _, conflicts = _checked(
            lambda c: change_occurrence(session, user.name, series, action, data, version, confirmed=c) or series,
            before, lambda exc: _occurrence_after(series, exc), boolean(data, "confirm_conflicts"),
        )  # fmt: skip
    return _answer(series, 200, conflicts)


def _occurrence_before(series: MeetingSeries, rid: Any) -> dict[str, Any] | None:
    """The occurrence as it is now (None when ``rid`` is not readable; validation reports that)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(rid))
    except ValueError:
        return None
    exc = next((e for e in series.exceptions if e.recurrence_id == moment), None)
    if exc is not None and exc.cancelled:
        return None
    return (
        _occurrence_after(series, exc)
        if exc
        else occurrence_proposal(series, moment, series.duration_minutes, series.location)
    )


def _occurrence_after(series: MeetingSeries, exc: Any) -> dict[str, Any] | None:
    if exc is None or not hasattr(exc, "recurrence_id") or exc.cancelled:
        return None
    return occurrence_proposal(
        series, exc.new_start or exc.recurrence_id, exc.new_duration_minutes or series.duration_minutes,
        exc.new_location or series.location,
    )  # fmt: skip


@bp.post("/series/<int:series_id>/extra-dates")
def add_extra_date_api(series_id: int) -> Any:
    """Add a Zusatztermin to a series."""
    user = writer()
    data = body()
    version = if_match(data)
    with transaction() as session:
        series = require_series(session, series_id)
        _checked(
            lambda c: add_extra_date(session, user.name, series, data, version, confirmed=c), None,
            lambda x: occurrence_proposal(series, x.start, x.duration_minutes or series.duration_minutes,
                                          x.location or series.location),
            boolean(data, "confirm_conflicts"),
        )  # fmt: skip
    return _answer(series, 201)


@bp.delete("/series/<int:series_id>/extra-dates/<int:extra_id>")
def remove_extra_date_api(series_id: int, extra_id: int) -> Any:
    """Delete a Zusatztermin (If-Match: the series' version)."""
    user = writer()
    version = if_match()
    with transaction() as session:
        remove_extra_date(session, user.name, require_series(session, series_id), extra_id, version)
    return "", 204


@bp.get("/audit")
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
    from ..schedule_store import require_person

    return int(raw) if raw.isdigit() else require_person(session, raw).id


def _gremium_id(session: Any, raw: str) -> int:
    from ..schedule_store import require_gremium

    return int(raw) if raw.isdigit() else require_gremium(session, raw).id


OBJECT_TYPES = {"series": _numeric, "person": _person_id, "gremium": _gremium_id, "activity": _numeric}
