"""The plan as it stood at a moment: today's rows with the audit trail's later changes undone.

Every edit writes ``{field: [before, after]}`` in the same transaction as the change
(:mod:`calsvc.editing.audit`), so walking the entries after a moment backwards, newest first,
and putting each ``before`` back gives the state at that moment. A report of a past quarter
reads its activities and meetings from here, so an edit in 2026 does not rewrite what the
Q2/2024 report said. Objects created after the moment are left out (except activities carried
over into a new plan: they belong to it from the year's start); deleted ones come back from
their delete entry. Limits: a plan re-import writes no per-field audit (its summary
names the differences), and restoring a date of a series records no "before".
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from calsvc.errors import FuzzyDateError
from calsvc.fuzzydates import parse_terminierung
from calsvc.models import Activity, AuditEntry, Gremium
from calsvc.schedule.specs import ActivitySpec, ExceptionSpec, ExtraSpec, PeriodSpec, SeriesSpec
from calsvc.schedule.store import activity_spec, load_series

__all__ = ["activities_as_of", "series_as_of"]


def _entries_after(session: Session, object_type: str, moment: datetime) -> list[AuditEntry]:
    """Audit entries of ``object_type`` after ``moment`` (naive UTC), newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.at > moment)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return list(session.scalars(query))


def _changes(entry: AuditEntry) -> dict[str, list[Any]]:
    try:
        data = json.loads(entry.changes or "{}")
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 2} if isinstance(data, dict) else {}


# --- activities ------------------------------------------------------------------------


def activities_as_of(session: Session, plan_year: int, moment: datetime) -> list[tuple[ActivitySpec, Activity | None]]:
    """The plan year's activities at ``moment`` (naive UTC), numbered order, each with its row if it still exists.

    The row carries the dated progress notes; a spec's fields are those of the moment.
    """
    rows = {a.id: a for a in session.scalars(select(Activity).options(selectinload(Activity.progress)))}
    states: dict[int, dict[str, Any]] = {}
    for activity in rows.values():
        spec = activity_spec(activity)
        states[activity.id] = {
            "plan_year": spec.plan_year,
            "number": spec.number,
            "title": spec.title,
            "terminierung": spec.terminierung,
            "status": spec.status,
            "responsible": list(spec.responsible_codes),
        }
    for entry in _entries_after(session, "activity", moment):
        if entry.object_id is None:
            continue
        changes = _changes(entry)
        if entry.action == "create":
            if not _carried_in_force(changes, moment):
                states.pop(entry.object_id, None)
        elif entry.action == "delete":
            states[entry.object_id] = {k: old for k, (old, _new) in changes.items()}
        elif entry.object_id in states:
            for name, (old, _new) in changes.items():
                states[entry.object_id][name] = old
    found = []
    for activity_id, state in states.items():
        if state.get("plan_year") != plan_year:
            continue
        row = rows.get(activity_id)
        found.append((_spec_from_state(activity_id, state, row), row))
    return sorted(found, key=lambda pair: pair[0].number)


def _carried_in_force(changes: dict[str, list[Any]], moment: datetime) -> bool:
    """A carried-over activity belongs to its plan from the year's start, whenever the plan was created."""
    carried, year = changes.get("carried_from_year", [None, None])[1], changes.get("plan_year", [None, None])[1]
    return bool(carried) and isinstance(year, int) and moment >= datetime(year, 1, 1)


def _spec_from_state(activity_id: int, state: dict[str, Any], row: Activity | None) -> ActivitySpec:
    """An ActivitySpec of a past state: the Terminierung is read again as the edit read it then."""
    year, text = int(state["plan_year"]), str(state.get("terminierung") or "")
    if row is not None and text == row.terminierung and year == row.plan_year:
        current = activity_spec(row)
        periods, flags = current.periods, (current.ongoing, current.tentative, current.unscheduled)
        label = current.label
    else:
        try:
            meaning = parse_terminierung(text, year)
        except FuzzyDateError:
            meaning = None
        periods = tuple(
            PeriodSpec(p.start, p.end, str(p.precision), p.focus, p.label())
            for p in (meaning.periods if meaning else ())
        )
        flags = (meaning.ongoing, meaning.tentative, meaning.unscheduled) if meaning else (False, False, True)
        label = meaning.label() if meaning else text
    return ActivitySpec(
        id=activity_id,
        number=int(state.get("number") or 0),
        title=str(state.get("title") or ""),
        plan_year=year,
        terminierung=text,
        periods=periods,
        ongoing=flags[0],
        tentative=flags[1],
        unscheduled=flags[2],
        status=state.get("status") or "geplant",
        responsible_codes=tuple(state.get("responsible") or ()),
        label=label,
        carried_from_year=row.carried_from_year if row is not None else state.get("carried_from_year"),
    )


# --- meeting series --------------------------------------------------------------------

_DATETIME_FIELDS = ("dtstart",)


def series_as_of(session: Session, moment: datetime) -> list[SeriesSpec]:
    """Every series as it stood at ``moment`` (naive UTC): fields, single-date changes, extra dates."""
    specs = {s.id: s for s in load_series(session)}
    for entry in _entries_after(session, "series", moment):
        if entry.object_id is None:
            continue
        changes = _changes(entry)
        if entry.action == "create":
            specs.pop(entry.object_id, None)
        elif entry.action == "delete":
            restored = _restored_series(session, entry.object_id, changes)
            if restored is not None:
                specs[entry.object_id] = restored
        elif entry.object_id in specs:
            specs[entry.object_id] = _undo(specs[entry.object_id], changes)
    return [specs[k] for k in sorted(specs)]


def _undo(spec: SeriesSpec, changes: dict[str, list[Any]]) -> SeriesSpec:
    """``spec`` with the ``before`` values of one audit entry put back."""
    fields: dict[str, Any] = {}
    exceptions = {e.recurrence_id: e for e in spec.exceptions}
    extras = {x.id: x for x in spec.extras}
    touched: dict[datetime, dict[str, Any]] = {}
    for name, (old, _new) in changes.items():
        if name.startswith("exceptions[") and "]." in name:
            key, field = name[len("exceptions[") :].split("].", 1)
            touched.setdefault(datetime.fromisoformat(key), {})[field] = old
        elif name.startswith("extra_dates["):
            extra_id = int(name[len("extra_dates[") : -1])
            if old is None:
                extras.pop(extra_id, None)
            elif isinstance(old, dict):
                extras[extra_id] = _extra(extra_id, old)
        elif name in ("title", "location", "description", "status", "rrule"):
            fields[name] = old if name == "rrule" else (old or "")
        elif name in _DATETIME_FIELDS and old:
            fields[name] = datetime.fromisoformat(old)
        elif name == "duration_minutes" and old:
            fields["duration"] = timedelta(minutes=int(old))
    for rid, olds in touched.items():
        exceptions = _undo_exception(exceptions, rid, olds)
    return replace(
        spec,
        **fields,
        exceptions=tuple(exceptions[k] for k in sorted(exceptions)),
        extras=tuple(sorted(extras.values(), key=lambda x: x.start)),
    )


def _undo_exception(
    exceptions: dict[datetime, ExceptionSpec], rid: datetime, olds: dict[str, Any]
) -> dict[datetime, ExceptionSpec]:
    """Put one date's earlier state back; ``cancelled`` was no value before means no change existed."""
    if "cancelled" in olds and olds["cancelled"] is None:
        exceptions.pop(rid, None)
        return exceptions
    current = exceptions.get(rid) or ExceptionSpec(recurrence_id=rid)
    values: dict[str, Any] = {}
    for field, old in olds.items():
        if field == "cancelled":
            values["cancelled"] = bool(old)
        elif field == "new_start":
            values["new_start"] = datetime.fromisoformat(old) if old else None
        elif field == "new_duration_minutes":
            values["new_duration"] = timedelta(minutes=int(old)) if old else None
        elif field == "new_location":
            values["new_location"] = old
        elif field == "note":
            values["note"] = old or ""
    exceptions[rid] = replace(current, **values)
    return exceptions


def _extra(extra_id: int, snap: dict[str, Any]) -> ExtraSpec:
    minutes = snap.get("duration_minutes")
    return ExtraSpec(
        id=extra_id,
        start=datetime.fromisoformat(snap["start"]),
        duration=timedelta(minutes=int(minutes)) if minutes else None,
        location=snap.get("location"),
        note=snap.get("note") or "",
    )


def _restored_series(session: Session, series_id: int, changes: dict[str, list[Any]]) -> SeriesSpec | None:
    """A deleted series from its delete entry (its Gremium as it is today)."""
    state = {k: old for k, (old, _new) in changes.items()}
    if not state.get("dtstart"):
        return None
    gremium = (
        session.scalar(select(Gremium).where(Gremium.slug == state.get("gremium"))) if state.get("gremium") else None
    )
    leads = tuple(p.code for p in gremium.leads) if gremium else ()
    members = tuple(m.person.code for m in gremium.memberships) if gremium else ()
    return SeriesSpec(
        id=series_id,
        title=state.get("title") or "",
        dtstart=datetime.fromisoformat(state["dtstart"]),
        duration=timedelta(minutes=int(state.get("duration_minutes") or 60)),
        rrule=state.get("rrule"),
        location=state.get("location") or "",
        description=state.get("description") or "",
        status=state.get("status") or "confirmed",
        gremium_slug=gremium.slug if gremium else None,
        gremium_name=gremium.name if gremium else None,
        lead_codes=leads,
        participant_codes=members,
    )
