"""The form's recurrence picker: the office's real patterns ↔ RRULE text (pure; no I/O).

Patterns: einmalig, wöchentlich, alle zwei Wochen, monatlich / alle zwei Monate am n-ten
Wochentag (n = 1..4 or -1 = letzter), optionally "ausgenommen Juli/August", ending on a date
or after n dates; anything else goes through the raw RRULE field for experts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from calsvc.errors import ValidationError
from calsvc.schedule.rrule import normalize_rrule

__all__ = ["PATTERNS", "Recurrence", "build_rrule", "nth_of_month", "picker_from_rrule"]

PATTERNS = {
    "once": "einmalig",
    "weekly": "wöchentlich",
    "biweekly": "alle zwei Wochen",
    "monthly": "monatlich am n-ten Wochentag",
    "bimonthly": "alle zwei Monate am n-ten Wochentag",
    "custom": "eigene Regel (RRULE, für Fachleute)",
}
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
NOT_SUMMER = "1,2,3,4,5,6,9,10,11,12"


@dataclass(frozen=True)
class Recurrence:
    """What the picker says; ``nth`` is 1..4 or -1 (letzter), ``None`` = from the start date."""

    pattern: str = "once"
    nth: int | None = None
    skip_summer: bool = False
    until: date | None = None
    count: int | None = None
    rrule: str = ""


def nth_of_month(day: date) -> int:
    """Which weekday of its month ``day`` is: 1..4, or -1 when it is the last (5th) one."""
    n = (day.day - 1) // 7 + 1
    return -1 if n >= 5 else n


def build_rrule(rec: Recurrence, dtstart: datetime) -> str | None:
    """The canonical RRULE for the picker's choice (``None`` for a single date); 422 naming the field."""
    if rec.pattern not in PATTERNS:
        raise ValidationError(f"Unbekanntes Wiederholungsmuster „{rec.pattern}“.", field="pattern")
    if rec.pattern == "once":
        return None
    if rec.pattern == "custom":
        if not rec.rrule.strip():
            raise ValidationError("Bitte eine RRULE eingeben oder ein Muster wählen.", field="rrule")
        return normalize_rrule(rec.rrule, dtstart)
    day = DAYS[dtstart.weekday()]
    if rec.pattern in ("weekly", "biweekly"):
        parts = ["FREQ=WEEKLY"] + (["INTERVAL=2"] if rec.pattern == "biweekly" else []) + [f"BYDAY={day}"]
    else:
        nth = rec.nth if rec.nth is not None else nth_of_month(dtstart.date())
        if nth not in (1, 2, 3, 4, -1):
            raise ValidationError("Der n-te Wochentag muss 1 bis 4 oder „letzter“ sein.", field="nth")
        parts = ["FREQ=MONTHLY"] + (["INTERVAL=2"] if rec.pattern == "bimonthly" else []) + [f"BYDAY={nth}{day}"]
    if rec.skip_summer:
        parts.append(f"BYMONTH={NOT_SUMMER}")
    if rec.until is not None and rec.count is not None:
        raise ValidationError("Bitte entweder „Ende am“ oder „nach n Terminen“ angeben, nicht beides.", field="count")
    if rec.until is not None:
        if rec.until < dtstart.date():
            raise ValidationError("Das Ende liegt vor dem Beginn.", field="until")
        parts.append(f"UNTIL={rec.until:%Y%m%d}")
    if rec.count is not None:
        if not 1 <= rec.count <= 1000:
            raise ValidationError("Die Anzahl der Termine muss zwischen 1 und 1000 liegen.", field="count")
        parts.append(f"COUNT={rec.count}")
    return normalize_rrule(";".join(parts), dtstart)


_SIMPLE = re.compile(r"^FREQ=(WEEKLY|MONTHLY)(?:;INTERVAL=([12]))?(?:;BYMONTH=([\d,]+))?;BYDAY=(-?\d)?([A-Z]{2})$")


def picker_from_rrule(rule: str | None, dtstart: datetime) -> Recurrence:
    """Prefill the picker from a stored rule; rules it cannot express come back as ``custom``."""
    if not rule:
        return Recurrence("once")
    body, until, count = [], None, None
    for part in rule.split(";"):
        if part.startswith("UNTIL=") and len(part) == 14:
            until = datetime.strptime(part[6:], "%Y%m%d").date()
        elif part.startswith("COUNT="):
            count = int(part[6:])
        else:
            body.append(part)
    match = _SIMPLE.match(";".join(body))
    if match is None or match[5] != DAYS[dtstart.weekday()] or (match[3] and match[3] != NOT_SUMMER):
        return Recurrence("custom", rrule=rule)
    freq, interval, months, nth = match[1], match[2] or "1", match[3], match[4]
    if (freq == "WEEKLY") == (nth is not None):
        return Recurrence("custom", rrule=rule)
    names = {("WEEKLY", "1"): "weekly", ("WEEKLY", "2"): "biweekly", ("MONTHLY", "1"): "monthly"}
    pattern = names.get((freq, interval), "bimonthly")
    return Recurrence(pattern, int(nth) if nth else None, bool(months), until, count, rule)
