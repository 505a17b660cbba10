"""Creating, changing and deleting activities; their Terminierung is parsed; dated progress notes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from calsvc.errors import NotFound, ValidationError
from calsvc.models import Activity, ActivityPeriod, ActivityProgress, utcnow
from calsvc.schedule.store import require_person

from . import audit
from .schemas import ACTIVITY_STATUSES, ActivityInput, ActivityPatch, ProgressInput, validate
from .versions import check_version

__all__ = [
    "STATUSES",
    "activity_state",
    "add_progress",
    "create_activity",
    "delete_activity",
    "parse",
    "update_activity",
]

STATUSES = ACTIVITY_STATUSES


def parse(text: str, plan_year: int) -> Any:
    """The fuzzy parser's reading of a Terminierung; FuzzyDateError (422, field ``terminierung``) if unreadable."""
    from calsvc.fuzzydates import parse_terminierung

    if not text.strip():
        raise ValidationError(
            "Bitte eine Terminierung angeben (z. B. „II. Quartal 2024“ oder „noch zu klären“).", field="terminierung"
        )
    return parse_terminierung(text, plan_year)


def activity_state(activity: Activity) -> dict[str, Any]:
    """The audited fields of an activity, JSON-safe."""
    state = audit.snapshot(activity, ("plan_year", "number", "title", "terminierung", "status", "sequence", "version"))
    state["responsible"] = [p.code for p in activity.responsible]
    state["periods"] = [f"{p.start.isoformat()}..{p.end.isoformat()}" for p in activity.periods]
    return state


def _responsible(session: Session, codes: list[str]) -> list[Any]:
    """The persons behind ``codes``; an unknown code is a 422 naming ``responsible``."""
    try:
        return [require_person(session, code) for code in codes]
    except NotFound as exc:
        raise ValidationError(exc.message, field="responsible") from None


def _apply(session: Session, activity: Activity, data: Mapping[str, Any], creating: bool) -> None:
    """Validate ``data`` (all fields when creating, the sent ones otherwise); the Terminierung must parse."""
    form = validate(ActivityInput if creating else ActivityPatch, data)
    given = set(ActivityInput.model_fields) if creating else form.model_fields_set
    for name in ("plan_year", "number", "title", "status"):
        if name in given:
            setattr(activity, name, getattr(form, name))
    if {"plan_year", "number"} & given:
        clash = session.scalar(
            select(Activity).where(Activity.plan_year == activity.plan_year, Activity.number == activity.number)
        )
        if clash is not None and clash is not activity:
            raise ValidationError(f"Nummer {activity.number} gibt es {activity.plan_year} schon.", field="number")
    if "terminierung" in given or "plan_year" in given:
        term = parse(form.terminierung if "terminierung" in given else activity.terminierung, activity.plan_year)
        activity.terminierung = term.raw
        activity.ongoing, activity.tentative, activity.unscheduled = term.ongoing, term.tentative, term.unscheduled
        activity.periods = [
            ActivityPeriod(position=i, start=p.start, end=p.end, precision=str(p.precision), focus=p.focus)
            for i, p in enumerate(term.periods)
        ]
    if "responsible" in given:
        activity.responsible = _responsible(session, form.responsible)


def create_activity(session: Session, actor: str, data: Mapping[str, Any]) -> Activity:
    """A new activity; its Terminierung must parse."""
    activity = Activity(title="", terminierung="", plan_year=0, number=0)
    _apply(session, activity, data, creating=True)
    session.add(activity)
    session.flush()
    audit.record(
        session,
        actor,
        "activity",
        activity.id,
        "create",
        f"Aktivität {activity.number} angelegt",
        audit.diff({}, activity_state(activity)),
    )
    return activity


def update_activity(
    session: Session, actor: str, activity: Activity, data: Mapping[str, Any], version: int
) -> Activity:
    """Change the given fields if ``version`` is current; SEQUENCE rises for the feeds."""
    check_version(session, activity, "activity", version)
    before = activity_state(activity)
    _apply(session, activity, data, creating=False)
    changed = audit.diff(before, activity_state(activity))
    if not changed:
        return activity
    activity.sequence += 1
    session.flush()
    audit.record(
        session,
        actor,
        "activity",
        activity.id,
        "update",
        "Aktivität geändert: " + audit.field_names(changed),
        audit.diff(before, activity_state(activity)),
    )
    return activity


def delete_activity(session: Session, actor: str, activity: Activity, version: int) -> None:
    """Remove an activity (it leaves the feeds)."""
    check_version(session, activity, "activity", version)
    audit.record(
        session,
        actor,
        "activity",
        activity.id,
        "delete",
        f"Aktivität {activity.number} gelöscht",
        {k: [v, None] for k, v in activity_state(activity).items()},
    )
    session.delete(activity)
    session.flush()


def add_progress(
    session: Session, actor: str, activity: Activity, data: Mapping[str, Any], version: int
) -> ActivityProgress:
    """A dated status note (Abarbeitungsstand); the activity takes the note's status."""
    check_version(session, activity, "activity", version)
    before = activity_state(activity)
    form = validate(ProgressInput, data)
    entry = ActivityProgress(day=form.day or date.today(), status=form.status, note=form.note, author=actor)
    activity.progress.append(entry)
    activity.status = entry.status
    activity.sequence += 1
    activity.updated_at = utcnow()
    flag_modified(activity, "updated_at")
    session.flush()
    changes = audit.diff(before, activity_state(activity))
    changes["progress"] = [None, f"{entry.day.isoformat()} {entry.status}: {entry.note}"]
    audit.record(
        session, actor, "activity", activity.id, "progress", f"Stand {entry.day:%d.%m.%Y}: {entry.status}", changes
    )
    return entry
