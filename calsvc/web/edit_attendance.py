"""A date's people on its edit page: "nur an diesem Termin" adds or removes a person or guest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, url_for
from sqlalchemy import select

from calsvc.db import get_session
from calsvc.editing.attendance import change_attendance
from calsvc.editing.participants import attendance_state, date_persons, invitees
from calsvc.editing.schemas import OccurrenceRef, validate
from calsvc.editing.series import require_series
from calsvc.editing.versions import parse_version
from calsvc.models import MeetingSeries, Person

from .auth import current_user, editor_required
from .edit_forms import commit_or_render, form_data, review

__all__ = ["bp", "people_context"]

bp = Blueprint("edit_attendance", __name__, url_prefix="/bearbeiten/serien")


def _actor() -> str:
    user = current_user()
    return user.name if user else "?"


def people_context(series: MeetingSeries, rid: datetime) -> dict[str, Any]:
    """Who is at the date ``rid``, the date's own changes, and the persons one can add."""
    session = get_session()
    there = date_persons(series, rid)
    return {
        "date_people": invitees(series, rid),
        "date_persons": there,
        "date_changes": [(a, attendance_state(a)) for a in series.attendance if a.recurrence_id == rid],
        "addable": [p for p in session.scalars(select(Person).order_by(Person.code)) if p not in there],
        "series_guests": series.guests,
    }


@bp.post("/<int:series_id>/termin/<rid>/teilnahme")
@editor_required
def attendance(series_id: int, rid: str) -> Any:
    """Nur an diesem Termin: add or remove a person or guest for one date, or undo such a change."""
    session = get_session()
    series = require_series(session, series_id)
    moment = validate(OccurrenceRef, {"recurrence_id": rid}).recurrence_id
    values = form_data()
    version = parse_version(values.get("version"))
    data = {k: values.get(k, "") for k in ("action", "person", "name", "email", "organisation")}
    data["recurrence_id"] = moment.isoformat()
    for key in ("guest", "change"):
        data[key] = values.get(key) or None
    exc = next((e for e in series.exceptions if e.recurrence_id == moment), None)
    defaults = {"version": str(series.version), "new_date": moment.date().isoformat(), "new_time": f"{moment:%H:%M}"}
    commit_or_render(
        lambda: change_attendance(session, _actor(), series, data, version, review()),
        "edit/occurrence_form.html",
        values={**defaults, **values},
        series=series,
        rid=moment,
        exception=exc,
        **people_context(series, moment),
    )
    flash(f"Termin {moment:%d.%m.%Y %H:%M}: Teilnehmende gespeichert.", "info")
    return redirect(url_for("edit_series.occurrence", series_id=series_id, rid=rid))
