"""What a recurrence being edited means: its RRULE, the rule in German and its next dates (nothing saved).

The form shows this as you edit (``GET /api/v1/recurrence/preview``) and on its "Vorschau"
button; it validates exactly as saving does, so every contradiction shows up here first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from calsvc.errors import ValidationError
from calsvc.schedule.budget import MAX_RULE_SPAN
from calsvc.schedule.describe import describe_rule
from calsvc.schedule.rrule import expand_rule

from .recurrence_picker import Recurrence, build_rrule, picked_end
from .schemas import PreviewInput, validate

__all__ = ["Preview", "preview"]

_STEPS = (timedelta(days=92), timedelta(days=366), MAX_RULE_SPAN)  # widen until enough dates are found


@dataclass(frozen=True)
class Preview:
    """The rule as stored (``None`` for a single date), said in German, and its first dates (local)."""

    rrule: str | None
    text: str
    dates: tuple[datetime, ...]
    duration: timedelta

    def to_dict(self) -> dict[str, Any]:
        """JSON: the API's answer."""
        return {
            "rrule": self.rrule,
            "rule_text": self.text,
            "dates": [d.isoformat() for d in self.dates],
            "duration_minutes": int(self.duration.total_seconds() // 60),
        }


def preview(data: Mapping[str, Any]) -> Preview:
    """Validate a picker's input and expand its first ``limit`` dates (bounded by the request's budget)."""
    form = validate(PreviewInput, data)
    until_text, count_text = picked_end(form.end_mode, form.until, form.count)
    until = _day(until_text)
    count = _count(count_text)
    rec = Recurrence(
        pattern=form.pattern,
        nth=form.nth,
        skip_summer=form.skip_summer,
        months=tuple(form.months),
        until=until,
        count=count,
        rrule=form.rrule,
    )
    rule = build_rrule(rec, form.dtstart)
    start = form.dtstart
    if rule and expand_rule(rule, start, start, start) != [start]:
        raise ValidationError(
            "Der Beginn ist kein Termin der Wiederholungsregel (z. B. falscher Wochentag).", field="dtstart"
        )
    dates: list[datetime] = [start]
    if rule:
        for step in _STEPS:
            dates = expand_rule(rule, start, start, start + step)
            if len(dates) > form.limit:
                break
    duration = timedelta(minutes=form.duration_minutes)
    return Preview(rule, describe_rule(rule, start, duration), tuple(dates[: form.limit]), duration)


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"„Ende am“ ist kein Datum (JJJJ-MM-TT): {text}", field="until") from None


def _count(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(f"„Anzahl Termine“ ist keine Zahl: {text}", field="count")
    return int(text)
