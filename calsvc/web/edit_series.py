"""Edit pages for meeting series: the form with the recurrence picker, single-occurrence actions, history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from calsvc.config import conflict_settings
from calsvc.db import get_session
from calsvc.editing.deletion import deletion_impact
from calsvc.editing.occurrence_edits import add_extra_date, change_occurrence, remove_extra_date
from calsvc.editing.recurrence_picker import PATTERNS, picked_end, picker_from_rrule
from calsvc.editing.schemas import OccurrenceRef, validate
from calsvc.editing.series import create_series, require_series, update_series
from calsvc.editing.versions import parse_version
from calsvc.german import MONTHS
from calsvc.invitations.delivery import deliver_pending
from calsvc.invitations.service import delete_and_withdraw
from calsvc.invitations.settings import mail_settings
from calsvc.models import Gremium, MeetingSeries, Person
from calsvc.schedule.bounds import YEARS
from calsvc.schedule.describe import describe_rule
from calsvc.schedule.engine import expand
from calsvc.schedule.store import series_spec

from .auth import current_user, editor_required
from .edit_attendance import people_context
from .edit_forms import commit_or_render, form_data, joined_moment, review
from .history import history_rows
from .series_tools import form_tools

__all__ = ["bp"]

bp = Blueprint("edit_series", __name__, url_prefix="/bearbeiten/serien")
SHOWN_OCCURRENCES = 12
NTH = [("", "wie am Beginn"), ("1", "ersten"), ("2", "zweiten"), ("3", "dritten"), ("4", "vierten"), ("-1", "letzten")]


def _actor() -> str:
    user = current_user()
    return user.name if user else "?"


def _values(series: MeetingSeries) -> dict[str, Any]:
    """The form's fields for an existing series (picker prefilled from its RRULE)."""
    rec = picker_from_rrule(series.rrule, series.dtstart)
    return {
        "gremium": series.gremium.slug if series.gremium else "",
        "title": series.title,
        "date": series.dtstart.date().isoformat(),
        "time": f"{series.dtstart:%H:%M}",
        "duration_minutes": str(series.duration_minutes),
        "location": series.location,
        "description": series.description,
        "status": series.status,
        "pattern": rec.pattern,
        "nth": "" if rec.nth is None else str(rec.nth),
        "months": [str(m) for m in rec.months],
        "end_mode": "until" if rec.until else "count" if rec.count else "none",
        "until": rec.until.isoformat() if rec.until else "",
        "count": str(rec.count or ""),
        "rrule": rec.rrule if rec.pattern == "custom" else "",
        "participants": [p.code for p in series.participant_persons()],
        "participants_default": "" if series.participants else "1",
        "guests": "\n".join("; ".join((g.name, g.email or "", g.organisation)).rstrip("; ") for g in series.guests),
        "version": str(series.version),
    }


def _data(values: dict[str, Any]) -> dict[str, Any]:
    """Form values → the service's input (the same fields the JSON API takes)."""
    keys = ("gremium", "title", "duration_minutes", "location", "description", "status", "pattern", "nth", "rrule")
    data = {k: values.get(k, "") for k in keys}
    data["dtstart"] = joined_moment(values, "date", "time")
    data["months"] = values.get("months") or []
    data["skip_summer"] = values.get("skip_summer", "")  # the earlier form's checkbox, still honoured
    data["until"], data["count"] = picked_end(
        values.get("end_mode", "none"), values.get("until", ""), values.get("count", "")
    )
    if values.get("people_shown"):
        data["participants"] = _chosen_participants(values)
        data["guests"] = values.get("guests", "")
    return data


def _chosen_participants(values: dict[str, Any]) -> list[str] | None:
    """The ticked persons; with a Gremium, none (or its members, unchanged) mean "the Gremium's members" (follows it)."""
    chosen = list(values.get("participants") or [])
    slug = values.get("gremium") or ""
    gremium = get_session().scalar(select(Gremium).where(Gremium.slug == slug)) if slug else None
    following = values.get("participants_default") == "1"  # the series follows its Gremium now
    if gremium is not None and (not chosen or (following and set(chosen) == {p.code for p in gremium.members})):
        return None
    return chosen


def _series_form() -> dict[str, Any]:
    """The series form's values; ``participants`` are checkboxes (a list)."""
    values = form_data()
    values["participants"] = request.form.getlist("participants")
    values["months"] = request.form.getlist("months")
    return values


def _tools_answer(series: MeetingSeries | None, values: dict[str, Any]) -> Any:
    """The form again with the preview or free slots, when a tool button was pressed (else ``None``)."""
    tools = form_tools(values)
    if tools is None:
        return None
    return render_template("edit/series_form.html", errors={}, conflicts=[], tools=tools, **_context(series, values))


def _context(series: MeetingSeries | None, values: dict[str, Any]) -> dict[str, Any]:
    session = get_session()
    gremien = session.scalars(select(Gremium).order_by(Gremium.position, Gremium.name)).all()
    context: dict[str, Any] = {
        "series": series,
        "values": values,
        "gremien": gremien,
        "patterns": PATTERNS,
        "persons": session.scalars(select(Person).order_by(Person.is_external, Person.code)).all(),
        "nth_choices": NTH,
        "month_names": MONTHS,
        "rule_text": describe_rule(series.rrule, series.dtstart, series.duration) if series is not None else "",
        "assistant_hours": _office_hours(),
        "occurrences": [],
        "history": [],
    }
    if series is not None and series.id is not None:
        context["occurrences"] = _next_occurrences(series)
        context["history"] = history_rows("series", series.id)
    return context


def _office_hours() -> str:
    """The configured working hours as the assistant's default (``08:00-18:00``)."""
    hours = conflict_settings().work_hours
    return f"{hours.start:%H:%M}-{hours.end:%H:%M}"


def _next_occurrences(series: MeetingSeries) -> list[Any]:
    """The series' next dates from the one engine (from ``?ab=``, today, or else its start)."""
    spec = series_spec(series)
    raw = request.args.get("ab", type=lambda v: v if date.fromisoformat(v).year in YEARS else None)
    start = date.fromisoformat(raw) if raw and len(raw) == 10 and raw[4] == "-" else date.today()
    found = expand([spec], [], start, start + timedelta(days=3 * 366), include_cancelled=True)
    if not found and not raw:
        first = series.dtstart.date()
        found = expand([spec], [], first, first + timedelta(days=3 * 366), include_cancelled=True)
    return found[:SHOWN_OCCURRENCES]


@bp.route("/neu", methods=["GET", "POST"])
@editor_required
def new() -> Any:
    """Create a series."""
    if request.method == "GET":
        values = {"pattern": "once", "duration_minutes": "60", "status": "confirmed", "end_mode": "none"}
        values["participants_default"] = "1"
        values["gremium"] = request.args.get("gremium", "")
        return render_template("edit/series_form.html", errors={}, conflicts=[], **_context(None, values))
    values = _series_form()
    if (answer := _tools_answer(None, values)) is not None:
        return answer
    session = get_session()
    series = commit_or_render(
        lambda: create_series(session, _actor(), _data(values), review()),
        "edit/series_form.html",
        field_map={"dtstart": "date"},
        **_context(None, values),
    )
    flash(f"Terminserie „{series.title}“ angelegt.", "info")
    return redirect(url_for(".edit", series_id=series.id))


@bp.route("/<int:series_id>", methods=["GET", "POST"])
@editor_required
def edit(series_id: int) -> Any:
    """Show and change a series; the hidden version refuses stale edits with 409."""
    session = get_session()
    series = require_series(session, series_id)
    if request.method == "GET":
        return render_template("edit/series_form.html", errors={}, conflicts=[], **_context(series, _values(series)))
    values = _series_form()
    if (answer := _tools_answer(series, values)) is not None:
        return answer
    version = parse_version(values.get("version"))
    context = _context(series, values)
    commit_or_render(
        lambda: update_series(session, _actor(), series, _data(values), version, review()),
        "edit/series_form.html",
        field_map={"dtstart": "date"},
        **context,
    )
    flash("Änderungen gespeichert.", "info")
    return redirect(url_for(".edit", series_id=series_id))


@bp.route("/<int:series_id>/loeschen", methods=["GET", "POST"])
@editor_required
def delete(series_id: int) -> Any:
    """Ask first (future dates, feeds it leaves); delete only on the confirmation page's button."""
    session = get_session()
    series = require_series(session, series_id)
    context: dict[str, Any] = {
        "series": series,
        "impact": deletion_impact(series, date.today()),
        "rule_text": describe_rule(series.rrule, series.dtstart, series.duration),
    }
    if request.method == "GET" or request.form.get("bestaetigt") != "1":
        return render_template("edit/series_delete.html", errors={}, **context)
    title = series.title
    version = parse_version(request.form.get("version"))
    commit_or_render(
        lambda: delete_and_withdraw(session, _actor(), series, version, mail_settings(), datetime.now(UTC)),
        "edit/series_delete.html",
        **context,
    )
    deliver_pending(session, mail_settings())  # the CANCEL to those invited, when a mail server is set
    flash(f"Terminserie „{title}“ gelöscht. Im Änderungsverlauf lässt sie sich wiederherstellen.", "info")
    return redirect(url_for("edit_history.history"))


@bp.route("/<int:series_id>/termin/<rid>", methods=["GET", "POST"])
@editor_required
def occurrence(series_id: int, rid: str) -> Any:
    """One occurrence: verschieben, Ort ändern, absagen or wiederherstellen."""
    session = get_session()
    series = require_series(session, series_id)
    moment = validate(OccurrenceRef, {"recurrence_id": rid}).recurrence_id
    exc = next((e for e in series.exceptions if e.recurrence_id == moment), None)
    start = (exc.new_start if exc and exc.new_start else moment) if not (exc and exc.cancelled) else moment
    defaults = {
        "new_date": start.date().isoformat(),
        "new_time": f"{start:%H:%M}",
        "new_duration_minutes": str((exc.new_duration_minutes if exc else None) or series.duration_minutes),
        "new_location": (exc.new_location if exc else None) or series.location,
        "note": exc.note if exc else "",
        "version": str(series.version),
    }
    context = {"series": series, "rid": moment, "exception": exc, **people_context(series, moment)}
    if request.method == "GET" and (slot := request.args.get("neu", "")[:16]):  # a free slot from /konflikte
        defaults |= {"new_date": slot[:10], "new_time": slot[11:16]}
    if request.method == "GET":
        return render_template("edit/occurrence_form.html", values=defaults, errors={}, conflicts=[], **context)
    values = form_data()
    version = parse_version(values.get("version"))
    action, data = _occurrence_action(series, moment, values)
    commit_or_render(
        lambda: change_occurrence(session, _actor(), series, action, data, version, review()),
        "edit/occurrence_form.html",
        field_map={"new_start": "new_date"},
        values=values,
        **context,
    )
    flash(f"Termin {moment:%d.%m.%Y %H:%M}: gespeichert.", "info")
    return redirect(url_for(".edit", series_id=series_id, ab=moment.date().isoformat()))


def _occurrence_action(series: MeetingSeries, rid: datetime, values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Which action the pressed button means, and the service's input for it."""
    action = values.get("action", "move")
    data: dict[str, Any] = {"recurrence_id": rid.isoformat(), "note": values.get("note", "")}
    if action == "move":
        data["new_start"] = joined_moment(values, "new_date", "new_time")
        data["new_duration_minutes"] = values.get("new_duration_minutes", "")
        location = (values.get("new_location") or "").strip()
        if location and location != series.location:
            data["new_location"] = location
    elif action == "relocate":
        data["new_location"] = values.get("new_location", "")
    return action, data


@bp.post("/<int:series_id>/zusatztermin")
@editor_required
def extra(series_id: int) -> Any:
    """Add a Zusatztermin."""
    session = get_session()
    series = require_series(session, series_id)
    values = form_data()
    version = parse_version(values.get("version"))
    data = {
        "start": joined_moment(values, "extra_date", "extra_time"),
        "duration_minutes": values.get("extra_duration_minutes", ""),
        "location": values.get("extra_location", ""),
        "note": values.get("extra_note", ""),
    }
    commit_or_render(
        lambda: add_extra_date(session, _actor(), series, data, version, review()),
        "edit/series_form.html",
        field_map={"start": "extra_date", "duration_minutes": "extra_duration_minutes"},
        **_context(series, {**_values(series), **values}),
    )
    flash("Zusatztermin angelegt.", "info")
    return redirect(url_for(".edit", series_id=series_id))


@bp.post("/<int:series_id>/zusatztermin/<int:extra_id>/loeschen")
@editor_required
def remove_extra(series_id: int, extra_id: int) -> Any:
    """Delete a Zusatztermin."""
    session = get_session()
    series = require_series(session, series_id)
    version = parse_version(request.form.get("version"))
    commit_or_render(
        lambda: remove_extra_date(session, _actor(), series, extra_id, version),
        "edit/series_form.html",
        **_context(series, _values(series)),
    )
    flash("Zusatztermin gelöscht.", "info")
    return redirect(url_for(".edit", series_id=series_id))
