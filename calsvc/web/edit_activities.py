"""Edit pages for activities: Terminierung as free German text (parsed), status and dated progress notes."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from calsvc.db import get_session
from calsvc.editing.activities import STATUSES, add_progress, create_activity, delete_activity, parse, update_activity
from calsvc.editing.versions import parse_version
from calsvc.errors import CalsvcError, NotFound
from calsvc.models import Activity

from .auth import current_user, editor_required
from .edit_forms import commit_or_render, form_data
from .history import history_rows

__all__ = ["bp"]

bp = Blueprint("edit_activities", __name__, url_prefix="/bearbeiten/aktivitaeten")
TEMPLATE = "edit/object_form.html"


def _f(name: str, label: str, type: str = "text", **extra: Any) -> dict[str, Any]:
    return {"name": name, "label": label, "type": type, "required": False, "help": "", "attrs": "", **extra}


SPEC = [
    _f("plan_year", "Planjahr", "number", required=True),
    _f("number", "Nummer im Plan", "number", required=True),
    _f("title", "Titel", "textarea", required=True),
    _f("terminierung", "Terminierung", required=True, attrs='data-terminierung="1" autocomplete="off"',
       help="Freier Text wie im Plan: „II. Quartal 2024, fortlaufend“, „März/April 2024“, „noch zu klären“."),
    _f("responsible", "Verantwortlich (Kürzel, durch Komma getrennt)"),
    _f("status", "Status", "select", choices=[(s, s) for s in STATUSES]),
]  # fmt: skip


def _actor() -> str:
    user = current_user()
    return user.name if user else "?"


def _require(activity_id: int) -> Activity:
    activity = get_session().get(Activity, activity_id)
    if activity is None:
        raise NotFound(f"Aktivität {activity_id} gibt es nicht.", field="id")
    return activity


def _values(a: Activity) -> dict[str, Any]:
    return {
        "plan_year": str(a.plan_year),
        "number": str(a.number),
        "title": a.title,
        "terminierung": a.terminierung,
        "responsible": ", ".join(p.code for p in a.responsible),
        "status": a.status,
        "version": str(a.version),
    }


def _data(values: dict[str, Any]) -> dict[str, Any]:
    return {f["name"]: values.get(f["name"], "") for f in SPEC}


def _label(values: dict[str, Any]) -> str:
    """What the server reads from the Terminierung (shown under the field, also without JavaScript)."""
    try:
        year = int(values.get("plan_year") or current_app.config["CALSVC_PLAN_YEAR"])
        return "Verstanden als: " + parse(values.get("terminierung") or "", year).label()
    except (CalsvcError, ValueError):
        return ""


def _context(activity: Activity | None, values: dict[str, Any]) -> dict[str, Any]:
    context: dict[str, Any] = {
        "obj": activity,
        "values": values,
        "spec": SPEC,
        "history": [],
        "terminierung_js": True,
        "terminierung_label": _label(values),
        "statuses": STATUSES,
        "today": date.today().isoformat(),
        "heading": f"Aktivität bearbeiten: {activity.number}" if activity else "Neue Aktivität",
        "action": url_for(".activity", activity_id=activity.id) if activity else url_for(".new"),
        "delete_action": url_for(".delete", activity_id=activity.id) if activity else "",
    }
    if activity is not None:
        context["history"] = history_rows("activity", activity.id)
        context["progress"] = list(activity.progress)
    return context


@bp.route("/neu", methods=["GET", "POST"])
@editor_required
def new() -> Any:
    """Create an activity."""
    if request.method == "GET":
        values = {"plan_year": str(current_app.config["CALSVC_PLAN_YEAR"]), "status": STATUSES[0]}
        return render_template(TEMPLATE, errors={}, **_context(None, values))
    values = form_data()
    activity = commit_or_render(
        lambda: create_activity(get_session(), _actor(), _data(values)), TEMPLATE, **_context(None, values)
    )
    flash(f"Aktivität {activity.number} angelegt.", "info")
    return redirect(url_for(".activity", activity_id=activity.id))


@bp.route("/<int:activity_id>", methods=["GET", "POST"])
@editor_required
def activity(activity_id: int) -> Any:
    """Show and change an activity; an unreadable Terminierung is shown next to the field."""
    found = _require(activity_id)
    if request.method == "GET":
        return render_template(TEMPLATE, errors={}, **_context(found, _values(found)))
    values = form_data()
    version = parse_version(values.get("version"))
    context = _context(found, values)
    commit_or_render(
        lambda: update_activity(get_session(), _actor(), found, _data(values), version), TEMPLATE, **context
    )
    flash("Änderungen gespeichert.", "info")
    return redirect(url_for(".activity", activity_id=activity_id))


@bp.post("/<int:activity_id>/stand")
@editor_required
def progress(activity_id: int) -> Any:
    """Add a dated progress note; the activity takes its status."""
    found = _require(activity_id)
    values = form_data()
    version = parse_version(values.get("version"))
    commit_or_render(
        lambda: add_progress(get_session(), _actor(), found, values, version),
        TEMPLATE,
        **_context(found, _values(found)),
    )
    flash("Bearbeitungsstand eingetragen.", "info")
    return redirect(url_for(".activity", activity_id=activity_id))


@bp.post("/<int:activity_id>/loeschen")
@editor_required
def delete(activity_id: int) -> Any:
    """Delete an activity."""
    found = _require(activity_id)
    version = parse_version(request.form.get("version"))
    commit_or_render(
        lambda: delete_activity(get_session(), _actor(), found, version), TEMPLATE, **_context(found, _values(found))
    )
    flash("Aktivität gelöscht.", "info")
    return redirect(url_for("edit_overview.overview"))
