"""Creating, changing and deleting activities; their Terminierung is parsed; dated progress notes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from calsvc.errors import NotFound, ValidationError
from calsvc.models import Activity, ActivityPeriod, ActivityProgress, Status, utcnow
from calsvc.schedule.store import require_person

from . import audit, fields
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

STATUSES = tuple(s.value for s in Status)


def parse(text: str, plan_year: int) -> Any:
    """The fuzzy parser's reading of a Terminierung; FuzzyDateError (422, field ``terminierung``) if unreadable."""
    from calsvc.fuzzydates import parse_terminierung

    if not text.strip():
        raise ValidationError("Bitte eine Terminierung angeben (z. B. „II. Quartal 2024“ oder „noch zu klären“).",
                              field="terminierung")  # fmt: skip
    return parse_terminierung(text, plan_year)


def activity_state(activity: Activity) -> dict[str, Any]:
    """The audited fields of an activity, JSON-safe."""
    state = audit.snapshot(activity, ("plan_year", "number", "title", "terminierung", "status", "sequence", "version"))
    state["responsible"] = [p.code for p in activity.responsible]
    state["periods"] = [f"{p.start.isoformat()}..{p.end.isoformat()}" for p in activity.periods]
    return state


def _responsible(session: Session, raw: Any) -> list[Any]:
    codes = raw.split(",") if isinstance(raw, str) else raw or []
    if not isinstance(codes, list | tuple):
        raise ValidationError("„responsible“ ist eine Liste von Kürzeln.", field="responsible")
    try:
        return [require_person(session, str(c).strip()) for c in dict.fromkeys(codes) if str(c).strip()]
    except NotFound as exc:
        raise ValidationError(exc.message, field="responsible") from None


def _apply(session: Session, activity: Activity, data: Mapping[str, Any], creating: bool) -> None:
    given = {"plan_year", "number", "title", "terminierung", "responsible", "status"} if creating else set(data)
    if "plan_year" in given:
        activity.plan_year = fields.integer(data, "plan_year", lo=2000, hi=2100, label="Planjahr")  # type: ignore[assignment]
    if "number" in given:
        activity.number = fields.integer(data, "number", lo=1, hi=9999, label="Nummer")  # type: ignore[assignment]
    if {"plan_year", "number"} & given:
        clash = session.scalar(select(Activity).where(Activity.plan_year == activity.plan_year,
                                                      Activity.number == activity.number))  # fmt: skip
        if clash is not None and clash is not activity:
            raise ValidationError(f"Nummer {activity.number} gibt es {activity.plan_year} schon.", field="number")
    if "title" in given:
        activity.title = fields.text(data, "title", required=True, max_len=1000, label="Titel")
    if "terminierung" in given or "plan_year" in given:
        raw = fields.text(data, "terminierung", required=True, label="Terminierung") if "terminierung" in given \
            else activity.terminierung  # fmt: skip
        term = parse(raw, activity.plan_year)
        activity.terminierung = term.raw
        activity.ongoing, activity.tentative, activity.unscheduled = term.ongoing, term.tentative, term.unscheduled
        activity.periods = [
            ActivityPeriod(position=i, start=p.start, end=p.end, precision=str(p.precision), focus=p.focus)
            for i, p in enumerate(term.periods)
        ]
    if "responsible" in given:
        activity.responsible = _responsible(session, data.get("responsible"))
    if "status" in given:
        activity.status = fields.choice(data, "status", STATUSES, default=Status.GEPLANT.value)


def create_activity(session: Session, actor: str, data: Mapping[str, Any]) -> Activity:
    """A new activity; its Terminierung must parse."""
    activity = Activity(title="", terminierung="", plan_year=0, number=0)
    _apply(session, activity, data, creating=True)
    session.add(activity)
    session.flush()
    audit.record(session, actor, "activity", activity.id, "create", f"Aktivität {activity.number} angelegt",
                 audit.diff({}, activity_state(activity)))  # fmt: skip
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
    audit.record(session, actor, "activity", activity.id, "update", "Aktivität geändert: " + audit.field_names(changed),
                 audit.diff(before, activity_state(activity)))  # fmt: skip
    return activity


def delete_activity(session: Session, actor: str, activity: Activity, version: int) -> None:
    """Remove an activity (it leaves the feeds)."""
    check_version(session, activity, "activity", version)
    audit.record(session, actor, "activity", activity.id, "delete", f"Aktivität {activity.number} gelöscht",
                 {k: [v, None] for k, v in activity_state(activity).items()})  # fmt: skip
    session.delete(activity)
    session.flush()


def add_progress(
    session: Session, actor: str, activity: Activity, data: Mapping[str, Any], version: int
) -> ActivityProgress:
    """A dated status note (Abarbeitungsstand); the activity takes the note's status."""
    check_version(session, activity, "activity", version)
    before = activity_state(activity)
    entry = ActivityProgress(
        day=fields.day(data, "day", label="Datum") or date.today(),
        status=fields.choice(data, "status", STATUSES),
        note=fields.text(data, "note", max_len=5000, label="Notiz"),
        author=actor,
    )
    activity.progress.append(entry)
    activity.status = entry.status
    activity.sequence += 1
    activity.updated_at = utcnow()
    flag_modified(activity, "updated_at")
    session.flush()
    changes = audit.diff(before, activity_state(activity))
    changes["progress"] = [None, f"{entry.day.isoformat()} {entry.status}: {entry.note}"]
    audit.record(session, actor, "activity", activity.id, "progress",
                 f"Stand {entry.day:%d.%m.%Y}: {entry.status}", changes)  # fmt: skip
    return entry
