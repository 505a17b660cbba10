"""Single-occurrence actions on a series: absagen (EXDATE), verschieben, Ort ändern, Zusatztermin."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from calsvc.conflicts.proposals import Proposal
from calsvc.errors import NotFound, ValidationError
from calsvc.models import ExtraDate, MeetingSeries, SeriesException
from calsvc.schedule.rrule import expand_rule

from . import audit
from .conflict_check import ConflictReview, occurrence_proposal
from .schemas import ACTIONS, ExtraDateInput, OccurrenceChange, validate
from .versions import check_version

__all__ = ["ACTIONS", "add_extra_date", "change_occurrence", "remove_extra_date"]

_EXC_FIELDS = ("cancelled", "new_start", "new_duration_minutes", "new_location", "note", "sequence")


def _require_occurrence(series: MeetingSeries, rid: datetime) -> SeriesException | None:
    """The exception at ``rid`` (or None), after checking ``rid`` is a date of the series."""
    for exc in series.exceptions:
        if exc.recurrence_id == rid:
            return exc
    if not series.rrule:
        raise ValidationError(
            "Ein Einzeltermin hat keine Wiederholungen – bitte den Termin selbst bearbeiten.", field="recurrence_id"
        )
    if expand_rule(series.rrule, series.dtstart, rid, rid) != [rid]:
        raise ValidationError(f"{rid:%d.%m.%Y %H:%M} ist kein Termin dieser Serie.", field="recurrence_id")
    return None


def change_occurrence(
    session: Session,
    actor: str,
    series: MeetingSeries,
    action: str,
    data: Mapping[str, Any],
    version: int,
    review: ConflictReview | None = None,
) -> SeriesException | None:
    """Cancel, move, relocate or restore the occurrence ``data["recurrence_id"]`` of ``series``.

    The series' SEQUENCE rises (EXDATE lives on the master) and the changed override gets the
    new SEQUENCE too, so every client replaces what it has.
    """
    review = review or ConflictReview()
    check_version(session, series, "series", version)
    change = validate(OccurrenceChange, {**data, "action": action})
    rid = change.recurrence_id
    exc = _require_occurrence(series, rid)
    before = audit.snapshot(exc, _EXC_FIELDS) if exc else {}
    planned_before = _planned(series, rid, exc)
    if action == "restore":
        if exc is None:
            raise ValidationError("Dieser Termin hat keine Abweichung.", field="recurrence_id")
        series.exceptions.remove(exc)
        exc_after: SeriesException | None = None
    else:
        exc_after = exc or SeriesException(recurrence_id=rid, cancelled=False, note="", sequence=0)
        if exc is None:
            series.exceptions.append(exc_after)
        _set_fields(exc_after, change, series)
        if "note" in change.model_fields_set:
            exc_after.note = change.note
    series.sequence += 1
    if exc_after is not None:
        exc_after.sequence = max(exc_after.sequence + 1, series.sequence)
    old_seq, old_version = series.sequence - 1, series.version
    session.flush()
    review.check(session, series.id, planned_before, _planned(series, rid, exc_after) if exc_after else None)
    after = audit.snapshot(exc_after, _EXC_FIELDS) if exc_after else {}
    key = f"exceptions[{rid.isoformat()}]"
    changes: dict[str, list[Any]] = {
        f"{key}.{k}": pair for k, pair in audit.diff(before, after).items() if k != "sequence"
    }
    changes["sequence"] = [old_seq, series.sequence]
    changes["version"] = [old_version, series.version]
    changes.update(review.audit_changes())
    words = {"cancel": "abgesagt", "move": "verschoben", "relocate": "Ort geändert", "restore": "wiederhergestellt"}
    summary = f"Termin {rid:%d.%m.%Y %H:%M} {words[action]}" + review.audit_note()
    audit.record(session, actor, "series", series.id, f"{action}_occurrence", summary, changes)
    return exc_after


def _planned(series: MeetingSeries, rid: datetime, exc: SeriesException | None) -> Proposal | None:
    """The occurrence at ``rid`` as a proposal: as the series has it, or as ``exc`` changes it."""
    if exc is None:
        return occurrence_proposal(series, rid, series.duration_minutes, series.location, rid)
    if exc.cancelled:
        return None
    return occurrence_proposal(
        series,
        exc.new_start or rid,
        exc.new_duration_minutes or series.duration_minutes,
        exc.new_location or series.location,
        rid,
    )


def _set_fields(exc: SeriesException, change: OccurrenceChange, series: MeetingSeries) -> None:
    """Apply a cancel, relocate or move to the override ``exc``."""
    if change.action == "cancel":
        exc.cancelled = True
        return
    exc.cancelled = False
    if change.action == "relocate":
        if not change.new_location:
            raise ValidationError("„Neuer Ort“ darf nicht leer sein.", field="new_location")
        exc.new_location = change.new_location
        return
    new_start, duration = change.new_start, change.new_duration_minutes
    if new_start is None and duration is None and not change.new_location:
        raise ValidationError("Bitte einen neuen Beginn oder eine neue Dauer angeben.", field="new_start")
    exc.new_start = None if new_start == change.recurrence_id else new_start
    exc.new_duration_minutes = None if duration == series.duration_minutes else duration
    if change.new_location:
        exc.new_location = change.new_location


def add_extra_date(
    session: Session,
    actor: str,
    series: MeetingSeries,
    data: Mapping[str, Any],
    version: int,
    review: ConflictReview | None = None,
) -> ExtraDate:
    """A Zusatztermin, if its conflicts pass ``review``: published as a VEVENT of its own, so Outlook shows it."""
    review = review or ConflictReview()
    check_version(session, series, "series", version)
    form = validate(ExtraDateInput, data)
    extra = ExtraDate(
        start=form.start,
        duration_minutes=form.duration_minutes,
        location=form.location or None,
        note=form.note,
        sequence=0,
    )
    series.extra_dates.append(extra)
    series.sequence += 1
    old_version = series.version
    session.flush()
    minutes = extra.duration_minutes or series.duration_minutes
    review.check(
        session, series.id, None, occurrence_proposal(series, extra.start, minutes, extra.location or series.location)
    )
    changes: dict[str, list[Any]] = {
        f"extra_dates[{extra.id}]": [None, audit.snapshot(extra, ("start", "duration_minutes", "location", "note"))],
        "sequence": [series.sequence - 1, series.sequence],
        "version": [old_version, series.version],
    }
    changes.update(review.audit_changes())
    summary = f"Zusatztermin {extra.start:%d.%m.%Y %H:%M} angelegt" + review.audit_note()
    audit.record(session, actor, "series", series.id, "add_extra_date", summary, changes)
    return extra


def remove_extra_date(session: Session, actor: str, series: MeetingSeries, extra_id: int, version: int) -> None:
    """Delete a Zusatztermin (it leaves the feeds)."""
    check_version(session, series, "series", version)
    extra = next((x for x in series.extra_dates if x.id == extra_id), None)
    if extra is None:
        raise NotFound(f"Zusatztermin {extra_id} gibt es bei dieser Serie nicht.", field="extra_id")
    old = audit.snapshot(extra, ("start", "duration_minutes", "location", "note"))
    series.extra_dates.remove(extra)
    for change in [a for a in series.attendance if a.recurrence_id == extra.start]:
        series.attendance.remove(change)  # the people of a date that is gone
    series.sequence += 1
    old_version = series.version
    session.flush()
    changes: audit.Changes = {
        f"extra_dates[{extra_id}]": [old, None],
        "sequence": [series.sequence - 1, series.sequence],
        "version": [old_version, series.version],
    }
    audit.record(
        session,
        actor,
        "series",
        series.id,
        "remove_extra_date",
        f"Zusatztermin {extra.start:%d.%m.%Y %H:%M} gelöscht",
        changes,
    )
