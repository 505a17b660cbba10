"""A proposed meeting (not saved): its validated shape, read from JSON or built in code.

:class:`ProposalInput` is the request body of ``POST /api/v1/conflicts/check``: the API
validates with it and documents it (one schema). Validation here is about form (dates,
duration, RRULE, the five-year window); whether the persons and the Gremium exist is checked
by :mod:`calsvc.conflicts.service` with a session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict

from calsvc import inputs as t
from calsvc.errors import ValidationError
from calsvc.schedule.bounds import MAX_WINDOW_DAYS
from calsvc.schedule.rrule import normalize_rrule
from calsvc.schedule.specs import AttendanceSpec

__all__ = ["MAX_DURATION", "MAX_WINDOW", "Proposal", "ProposalInput", "parse_proposal"]

MAX_WINDOW = timedelta(days=MAX_WINDOW_DAYS)
MAX_DURATION = timedelta(days=7)
DEFAULT_TITLE = "Vorgeschlagener Termin"
MOMENT = "Beginn, ISO 8601; ohne Offset = Berliner Ortszeit"


@dataclass(frozen=True, slots=True)
class Proposal:
    """A meeting someone wants to plan: first start (naive Berlin wall time), length, who, how often."""

    start: datetime
    duration: timedelta
    title: str = DEFAULT_TITLE
    rrule: str | None = None
    participants: tuple[str, ...] = ()
    gremium: str | None = None
    window_end: date | None = None
    location: str = ""
    attendance: tuple[AttendanceSpec, ...] = ()
    """People of single dates (a saved series' "nur an diesem Termin"); the API's proposals have none."""

    def window(self) -> tuple[date, date]:
        """The days checked: the first start's day up to ``window_end`` (exclusive; default one year)."""
        first = self.start.date()
        if self.window_end is not None:
            return first, self.window_end
        return first, first + (timedelta(days=366) if self.rrule else timedelta(days=1))


class ProposalInput(BaseModel):
    """The body of a proposal check: who, when, how long, how often (nothing is saved)."""

    model_config = ConfigDict(extra="ignore", title="Proposal")

    start: Annotated[datetime, t.moment(label="start", offsets=True)]
    duration: Annotated[int | None, t.integer(lo=1, hi=7 * 24 * 60, required=False, label="duration")] = None
    end: Annotated[datetime | None, t.moment(required=False, label="end", offsets=True)] = None
    rrule: Annotated[str, t.text(max_len=500, about="RFC-5545-RRULE, z. B. FREQ=WEEKLY;INTERVAL=2")] = ""
    participants: Annotated[list[str], t.codes(label="participants")] = []
    gremium: Annotated[str, t.text(max_len=120, about="Slug; ohne participants nehmen dessen Mitglieder teil")] = ""
    title: Annotated[str, t.text(max_len=300)] = ""
    location: Annotated[str, t.text(max_len=300)] = ""
    window_end: Annotated[date | None, t.day(label="window_end")] = None
    to: Annotated[date | None, t.day(label="to")] = None


def parse_proposal(data: Mapping[str, Any]) -> Proposal:
    """Validate a JSON proposal; every error is a ValidationError naming the offending field."""
    if not isinstance(data, Mapping):
        raise ValidationError("Der Vorschlag muss ein JSON-Objekt sein.", field="body")
    form = t.validate(ProposalInput, data)
    if not form.participants and not form.gremium:
        raise ValidationError(
            "Bitte Teilnehmende („participants“) oder ein Gremium („gremium“) angeben.", field="participants"
        )
    window_field = "window_end" if "window_end" in form.model_fields_set else "to"
    return Proposal(
        start=form.start,
        duration=_duration(form),
        title=form.title or DEFAULT_TITLE,
        rrule=normalize_rrule(form.rrule, form.start) if form.rrule else None,
        participants=tuple(form.participants),
        gremium=form.gremium or None,
        window_end=_window_end(getattr(form, window_field), form.start, window_field),
        location=form.location,
    )


def _duration(form: ProposalInput) -> timedelta:
    """The length from ``duration`` (minutes) or from ``end``; positive and at most seven days."""
    if form.duration is not None:
        return timedelta(minutes=form.duration)
    if form.end is None:
        raise ValidationError("„duration“ (Minuten) oder „end“ fehlt.", field="duration")
    length = form.end - form.start
    if length <= timedelta(0):
        raise ValidationError("Das Ende muss nach dem Beginn liegen.", field="end")
    if length > MAX_DURATION:
        raise ValidationError("Ein Termin darf höchstens 7 Tage dauern.", field="end")
    return length


def _window_end(value: date | None, start: datetime, field: str) -> date | None:
    """The optional end of the checked window (exclusive), at most five years after the start."""
    if value is None:
        return None
    if value <= start.date():
        raise ValidationError(f"„{field}“ muss nach dem Beginn liegen.", field=field)
    if value - start.date() > MAX_WINDOW:
        raise ValidationError("Der geprüfte Zeitraum darf höchstens fünf Jahre umfassen.", field=field)
    return value
