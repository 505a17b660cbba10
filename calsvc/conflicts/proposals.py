"""A proposed meeting (not saved): its validated shape, read from JSON or built in code.

Validation here is about form (dates, duration, RRULE, the 5-year window); whether the
persons and the Gremium exist is checked by :mod:`calsvc.conflicts.service` with a session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from calsvc.errors import ValidationError
from calsvc.schedule.rrule import normalize_rrule
from calsvc.schedule.walltime import as_local_naive, require_wall_time

__all__ = ["MAX_DURATION", "MAX_WINDOW", "Proposal", "parse_proposal"]

MAX_WINDOW = timedelta(days=5 * 366)
MAX_DURATION = timedelta(days=7)
DEFAULT_TITLE = "Vorgeschlagener Termin"


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

    def window(self) -> tuple[date, date]:
        """The days checked: the first start's day up to ``window_end`` (exclusive; default one year)."""
        first = self.start.date()
        if self.window_end is not None:
            return first, self.window_end
        return first, first + (timedelta(days=366) if self.rrule else timedelta(days=1))


def parse_proposal(data: Mapping[str, Any]) -> Proposal:
    """Validate a JSON proposal; every error is a ValidationError naming the offending field."""
    if not isinstance(data, Mapping):
        raise ValidationError("Der Vorschlag muss ein JSON-Objekt sein.", field="body")
    start = _moment(data.get("start"), "start")
    duration = _duration(data, start)
    rrule = data.get("rrule") or None
    if rrule is not None:
        if not isinstance(rrule, str):
            raise ValidationError("„rrule“ muss ein Text sein, z. B. FREQ=WEEKLY;INTERVAL=2.", field="rrule")
        rrule = normalize_rrule(rrule, start)
    participants = _codes(data.get("participants"))
    gremium = data.get("gremium") or None
    if gremium is not None and not isinstance(gremium, str):
        raise ValidationError("„gremium“ muss der Kurzname (Slug) eines Gremiums sein.", field="gremium")
    if not participants and gremium is None:
        raise ValidationError(
            "Bitte Teilnehmende („participants“) oder ein Gremium („gremium“) angeben.", field="participants"
        )
    title = data.get("title") or DEFAULT_TITLE
    if not isinstance(title, str) or len(title) > 300:
        raise ValidationError("„title“ muss ein Text mit höchstens 300 Zeichen sein.", field="title")
    window_end = _window_end(data.get("window_end", data.get("to")), start)
    return Proposal(
        start=start,
        duration=duration,
        title=title.strip() or DEFAULT_TITLE,
        rrule=rrule,
        participants=participants,
        gremium=gremium,
        window_end=window_end,
        location=str(data.get("location") or ""),
    )


def _moment(raw: Any, name: str) -> datetime:
    """An ISO date-time (naive = Berlin wall time; with offset = converted) within 1990–2100."""
    if raw is None or raw == "":
        raise ValidationError(f"„{name}“ fehlt (Format JJJJ-MM-TTTHH:MM, Berliner Ortszeit).", field=name)
    if isinstance(raw, datetime):
        value = raw
    else:
        try:
            value = datetime.fromisoformat(str(raw))
        except ValueError:
            raise ValidationError(f"„{raw}“ ist kein Zeitpunkt im Format JJJJ-MM-TTTHH:MM.", field=name) from None
    value = as_local_naive(value).replace(second=0, microsecond=0)
    _check_year(value.date(), name)
    return require_wall_time(value, name)


def _duration(data: Mapping[str, Any], start: datetime) -> timedelta:
    """The length from ``duration`` (minutes) or from ``end``; must be positive and at most 7 days."""
    if data.get("duration") not in (None, ""):
        raw = data["duration"]
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise ValidationError("„duration“ muss eine Zahl von Minuten sein.", field="duration")
        try:
            minutes = int(raw)
        except ValueError:
            raise ValidationError(f"„duration“ „{raw}“ ist keine ganze Zahl von Minuten.", field="duration") from None
        length, name = timedelta(minutes=minutes), "duration"
    elif data.get("end") not in (None, ""):
        length, name = _moment(data["end"], "end") - start, "end"
    else:
        raise ValidationError("„duration“ (Minuten) oder „end“ fehlt.", field="duration")
    if length <= timedelta(0):
        what = "Das Ende muss nach dem Beginn liegen." if name == "end" else "Die Dauer muss positiv sein."
        raise ValidationError(what, field=name)
    if length > MAX_DURATION:
        raise ValidationError("Ein Termin darf höchstens 7 Tage dauern.", field=name)
    return length


def _codes(raw: Any) -> tuple[str, ...]:
    """Person codes from a list or a comma-separated text, each once."""
    if raw is None or raw == "":
        return ()
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list | tuple) or not all(isinstance(c, str) for c in raw):
        raise ValidationError(
            '„participants“ muss eine Liste von Kürzeln sein, z. B. ["IntB", "Int1"].', field="participants"
        )
    return tuple(dict.fromkeys(c.strip() for c in raw if c.strip()))


def _window_end(raw: Any, start: datetime) -> date | None:
    """The optional end of the checked window (exclusive), at most five years after the start."""
    if raw is None or raw == "":
        return None
    try:
        value = raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
    except ValueError:
        raise ValidationError(f"„{raw}“ ist kein Datum im Format JJJJ-MM-TT.", field="window_end") from None
    if isinstance(value, datetime):
        value = value.date()
    _check_year(value, "window_end")
    if value <= start.date():
        raise ValidationError("„window_end“ muss nach dem Beginn liegen.", field="window_end")
    if value - start.date() > MAX_WINDOW:
        raise ValidationError("Der geprüfte Zeitraum darf höchstens fünf Jahre umfassen.", field="window_end")
    return value


def _check_year(day: date, name: str) -> None:
    if not 1990 <= day.year <= 2100:
        raise ValidationError("Datum außerhalb des unterstützten Bereichs (1990–2100).", field=name)
