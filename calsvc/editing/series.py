"""Creating, changing and deleting meeting series; every feed-visible change bumps SEQUENCE."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from calsvc.errors import NotFound, ValidationError
from calsvc.models import MeetingSeries
from calsvc.schedule.rrule import expand_rule, normalize_rrule
from calsvc.schedule.store import require_gremium

from . import audit
from .conflict_check import ConflictReview, series_proposal
from .participants import attendance_state, people_state, set_guests, set_participants
from .recurrence_picker import Recurrence, build_rrule, with_end
from .restore import SNAPSHOT_KEY, series_snapshot
from .schemas import SeriesInput, SeriesPatch, validate
from .versions import check_version

__all__ = [
    "FEED_FIELDS",
    "create_series",
    "delete_series",
    "require_series",
    "series_state",
    "update_series",
]

FEED_FIELDS = ("gremium", "title", "dtstart", "duration_minutes", "rrule", "location", "description", "status")
PEOPLE_FIELDS = ("participants", "guests")


def require_series(session: Session, series_id: int) -> MeetingSeries:
    """The series with ``series_id`` or NotFound naming the field ``id``."""
    series = session.get(MeetingSeries, series_id)
    if series is None:
        raise NotFound(f"Terminserie {series_id} gibt es nicht.", field="id")
    return series


def series_state(series: MeetingSeries) -> dict[str, Any]:
    """The audited fields of a series, JSON-safe."""
    state = audit.snapshot(series, [f for f in FEED_FIELDS if f != "gremium"] + ["sequence", "version"])
    state["gremium"] = series.gremium.slug if series.gremium else None
    state.update(people_state(series))
    return state


def _apply(session: Session, series: MeetingSeries, data: Mapping[str, Any], creating: bool) -> None:
    """Validate ``data`` (all fields when creating, the sent ones otherwise) and set them."""
    form = validate(SeriesInput if creating else SeriesPatch, data)
    sent = form.model_fields_set
    given = {*FEED_FIELDS, *PEOPLE_FIELDS} if creating else sent
    if "gremium" in given:
        series.gremium = require_gremium(session, form.gremium) if form.gremium else None
    for name in ("title", "dtstart", "duration_minutes", "location", "description", "status"):
        if name in given:
            setattr(series, name, getattr(form, name))
    if "participants" in given:
        set_participants(session, series, form.participants)
    if "guests" in given:
        set_guests(series, form.guests)
    if "pattern" not in sent and (form.nth is not None or form.skip_summer or form.months):
        field = "nth" if form.nth is not None else "skip_summer" if form.skip_summer else "months"
        raise ValidationError(f"„{field}“ gilt nur zusammen mit „pattern“.", field=field)
    if "pattern" in sent:
        recurrence = Recurrence(
            pattern=form.pattern,
            nth=form.nth,
            skip_summer=form.skip_summer,
            months=tuple(form.months),
            until=form.until,
            count=form.count,
            rrule=form.rrule,
        )
        series.rrule = build_rrule(recurrence, series.dtstart)
    elif "rrule" in sent:
        if form.rrule:
            series.rrule = with_end(form.rrule, series.dtstart, until=form.until, count=form.count)
        elif form.until or form.count:
            raise ValidationError("Ein Ende („until“/„count“) braucht eine Wiederholungsregel.", field="rrule")
        else:
            series.rrule = None
    elif form.until or form.count:  # a new end for the series' rule: it replaces the old one
        if not series.rrule:
            raise ValidationError(
                "Ein Einzeltermin hat kein Ende („until“/„count“).", field="until" if form.until else "count"
            )
        endless = ";".join(p for p in series.rrule.split(";") if not p.startswith(("UNTIL=", "COUNT=")))
        series.rrule = with_end(endless, series.dtstart, until=form.until, count=form.count)
    if "dtstart" in given and series.rrule and not {"pattern", "rrule", "until", "count"} & sent:
        series.rrule = normalize_rrule(series.rrule, series.dtstart)
    if series.rrule and expand_rule(series.rrule, series.dtstart, series.dtstart, series.dtstart) != [series.dtstart]:
        raise ValidationError(
            "Der Beginn ist kein Termin der Wiederholungsregel (z. B. falscher Wochentag).", field="dtstart"
        )


def create_series(
    session: Session, actor: str, data: Mapping[str, Any], review: ConflictReview | None = None
) -> MeetingSeries:
    """A new series from validated ``data``, if its conflicts pass ``review``; audited as ``create``."""
    review = review or ConflictReview()
    series = MeetingSeries(title="", dtstart=datetime(2000, 1, 1), duration_minutes=60, location="", description="")
    _apply(session, series, data, creating=True)
    session.add(series)
    session.flush()
    review.check(session, series.id, None, series_proposal(series))
    changes = {**audit.diff({}, series_state(series)), **review.audit_changes()}
    summary = f"Terminserie „{series.title}“ angelegt" + review.audit_note()
    audit.record(session, actor, "series", series.id, "create", summary, changes)
    return series


def update_series(
    session: Session,
    actor: str,
    series: MeetingSeries,
    data: Mapping[str, Any],
    version: int,
    review: ConflictReview | None = None,
) -> MeetingSeries:
    """Change the given fields of ``series`` if ``version`` is current and its conflicts pass ``review``.

    Subscribers see a higher SEQUENCE.
    """
    review = review or ConflictReview()
    check_version(session, series, "series", version)
    before = series_state(series)
    planned_before = series_proposal(series)
    _apply(session, series, data, creating=False)
    changed = audit.diff(before, series_state(series))
    if not changed:
        return series
    series.sequence += 1
    dropped = _drop_orphan_exceptions(series) if {"dtstart", "rrule"} & changed.keys() else []
    session.flush()
    review.check(session, series.id, planned_before, series_proposal(series))
    changes = audit.diff(before, series_state(series))
    if dropped:
        changes["exceptions_removed"] = [dropped, None]
    changes.update(review.audit_changes())
    summary = "Terminserie geändert: " + audit.field_names(changed)
    audit.record(session, actor, "series", series.id, "update", summary + review.audit_note(), changes)
    return series


def _drop_orphan_exceptions(series: MeetingSeries) -> list[str]:
    """Exceptions (and single-date people) for dates the changed rule no longer produces would haunt the feeds."""
    dropped = []
    for exc in list(series.exceptions):
        rid = exc.recurrence_id
        if not series.rrule or expand_rule(series.rrule, series.dtstart, rid, rid) != [rid]:
            series.exceptions.remove(exc)
            dropped.append(rid.isoformat())
    extra_starts = {x.start for x in series.extra_dates}
    for change in list(series.attendance):
        rid = change.recurrence_id
        if rid in extra_starts:
            continue
        rule_date = (
            expand_rule(series.rrule, series.dtstart, rid, rid) == [rid] if series.rrule else rid == series.dtstart
        )
        if not rule_date:
            series.attendance.remove(change)
            dropped.append(f"{rid.isoformat()} {attendance_state(change)}")
    return dropped


def delete_series(session: Session, actor: str, series: MeetingSeries, version: int) -> None:
    """Remove a series (and with it every occurrence from the feeds) if ``version`` is current."""
    check_version(session, series, "series", version)
    state = series_state(series)
    changes = {k: [v, None] for k, v in state.items()}
    changes[SNAPSHOT_KEY] = [series_snapshot(series), None]  # what "Wiederherstellen" brings back
    audit.record(session, actor, "series", series.id, "delete", f"Terminserie „{series.title}“ gelöscht", changes)
    session.delete(series)
    session.flush()
