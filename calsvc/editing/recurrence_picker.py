"""The form's recurrence picker: the office's real patterns ↔ RRULE text (pure; no I/O).

Patterns: einmalig, wöchentlich, alle zwei Wochen, monatlich / alle zwei Monate am n-ten
Wochentag (n = 1..4 or -1 = letzter), in any set of months (BYMONTH; "ausgenommen Juli/August"
is one of them), ending on a date or after n dates; anything else goes through the raw RRULE
field for experts. A detail that does not fit the chosen pattern or end is refused with its
field (422), never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from calsvc.errors import ValidationError
from calsvc.schedule.budget import MAX_COUNT
from calsvc.schedule.rrule import normalize_rrule

__all__ = [
    "END_MODES",
    "PATTERNS",
    "Recurrence",
    "build_rrule",
    "nth_of_month",
    "picked_end",
    "picker_from_rrule",
    "with_end",
]

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
END_MODES = {"none": "ohne Ende", "until": "Ende am", "count": "nach n Terminen"}


@dataclass(frozen=True)
class Recurrence:
    """What the picker says; ``nth`` is 1..4 or -1 (letzter), ``None`` = from the start date."""

    pattern: str = "once"
    nth: int | None = None
    skip_summer: bool = False
    until: date | None = None
    count: int | None = None
    rrule: str = ""
    months: tuple[int, ...] = ()
    """Months the meeting takes place in (1..12); empty = every month."""


def nth_of_month(day: date) -> int:
    """Which weekday of its month ``day`` is: 1..4, or -1 when it is the last (5th) one."""
    n = (day.day - 1) // 7 + 1
    return -1 if n >= 5 else n


def build_rrule(rec: Recurrence, dtstart: datetime) -> str | None:
    """The canonical RRULE for the picker's choice (``None`` for a single date); 422 naming the field.

    Nothing given is dropped: a detail that does not fit the pattern, or an end that
    contradicts the rule's own, is refused with the field it came in.
    """
    if rec.pattern not in PATTERNS:
        raise ValidationError(f"Unbekanntes Wiederholungsmuster „{rec.pattern}“.", field="pattern")
    if rec.pattern == "custom":
        if not rec.rrule.strip():
            raise ValidationError("Bitte eine RRULE eingeben oder ein Muster wählen.", field="rrule")
        normalize_rrule(rec.rrule, dtstart)  # the rule itself first: it is what the editor typed
    _refuse_unused(rec)
    if rec.pattern == "once":
        return None
    if rec.pattern == "custom":
        return with_end(rec.rrule, dtstart, until=rec.until, count=rec.count)
    day = DAYS[dtstart.weekday()]
    if rec.pattern in ("weekly", "biweekly"):
        parts = ["FREQ=WEEKLY"] + (["INTERVAL=2"] if rec.pattern == "biweekly" else []) + [f"BYDAY={day}"]
    else:
        nth = rec.nth if rec.nth is not None else nth_of_month(dtstart.date())
        if nth not in (1, 2, 3, 4, -1):
            raise ValidationError("Der n-te Wochentag muss 1 bis 4 oder „letzter“ sein.", field="nth")
        parts = ["FREQ=MONTHLY"] + (["INTERVAL=2"] if rec.pattern == "bimonthly" else []) + [f"BYDAY={nth}{day}"]
    months = _months(rec)
    if months:
        parts.append(f"BYMONTH={months}")  # normalize_rrule puts it in its canonical place
    return with_end(";".join(parts), dtstart, until=rec.until, count=rec.count)


def _months(rec: Recurrence) -> str:
    """The BYMONTH value the picker's months (or "ohne Juli/August") say; empty for every month."""
    if rec.skip_summer and rec.months:
        raise ValidationError(
            "Bitte die Monate entweder einzeln wählen oder „ausgenommen Juli/August“, nicht beides.", field="months"
        )
    if rec.skip_summer:
        return NOT_SUMMER
    if any(not 1 <= m <= 12 for m in rec.months):
        raise ValidationError("Monate sind die Zahlen 1 (Januar) bis 12 (Dezember).", field="months")
    chosen = sorted(set(rec.months))
    return "" if len(chosen) in (0, 12) else ",".join(str(m) for m in chosen)


def picked_end(mode: str, until: str, count: str) -> tuple[str, str]:
    """The form's end radio with its two fields → (until, count) for the input model; contradictions are 422.

    A date typed without "Ende am" chosen (or a number without "nach n Terminen") is refused
    instead of dropped, and so is a chosen end without its value.
    """
    if mode not in END_MODES:
        raise ValidationError("Bitte ein Ende der Wiederholung wählen.", field="end_mode")
    until, count = (until or "").strip(), (count or "").strip()
    for name, value in (("until", until), ("count", count)):
        if value and mode != name:
            raise ValidationError(
                f"„{END_MODES[name]}“ ist ausgefüllt, aber „{END_MODES[mode]}“ gewählt; bitte leeren oder "
                f"„{END_MODES[name]}“ wählen.",
                field=name,
            )
    if mode != "none" and not (until if mode == "until" else count):
        raise ValidationError(f"„{END_MODES[mode]}“ gewählt: bitte den Wert eintragen.", field=mode)
    return until, count


def _refuse_unused(rec: Recurrence) -> None:
    """Details the chosen pattern has no place for are a contradiction, not something to ignore."""
    unused: list[tuple[str, bool]] = [
        ("nth", rec.nth is not None and rec.pattern not in ("monthly", "bimonthly")),
        ("skip_summer", rec.skip_summer and rec.pattern in ("once", "custom")),
        ("months", bool(rec.months) and rec.pattern in ("once", "custom")),
        ("until", rec.until is not None and rec.pattern == "once"),
        ("count", rec.count is not None and rec.pattern == "once"),
        ("rrule", bool(rec.rrule.strip()) and rec.pattern != "custom"),
    ]
    for name, given in unused:
        if given:
            raise ValidationError(
                f"„{name}“ passt nicht zum Muster „{PATTERNS[rec.pattern]}“; bitte leeren oder ein anderes Muster wählen.",
                field=name,
            )


def with_end(rule: str, dtstart: datetime, *, until: date | None = None, count: int | None = None) -> str:
    """``rule`` (validated) with the end the form or API names; an end it contradicts is a 422.

    A rule may carry its own UNTIL or COUNT; a separate end is added to it, accepted when it
    says the same, and refused when it says something else.
    """
    if until is not None and count is not None:
        raise ValidationError("Bitte entweder „Ende am“ oder „nach n Terminen“ angeben, nicht beides.", field="count")
    if until is not None and until < dtstart.date():
        raise ValidationError("Das Ende liegt vor dem Beginn.", field="until")
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise ValidationError(f"Die Anzahl der Termine muss zwischen 1 und {MAX_COUNT} liegen.", field="count")
    extra = f"UNTIL={until:%Y%m%d}" if until is not None else f"COUNT={count}" if count is not None else None
    if extra is None:
        return normalize_rrule(rule, dtstart)
    own = [p for p in normalize_rrule(rule, dtstart).split(";") if p.startswith(("UNTIL=", "COUNT="))]
    if own and own != [extra]:
        field = "until" if until is not None else "count"
        raise ValidationError(f"Die Regel endet schon mit {own[0]}; „{field}“ sagt etwas anderes.", field=field)
    return normalize_rrule(f"{rule};{extra}" if not own else rule, dtstart)


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
    if match is None or match[5] != DAYS[dtstart.weekday()]:
        return Recurrence("custom", rrule=rule)
    freq, interval, months, nth = match[1], match[2] or "1", match[3], match[4]
    if (freq == "WEEKLY") == (nth is not None):
        return Recurrence("custom", rrule=rule)
    names = {("WEEKLY", "1"): "weekly", ("WEEKLY", "2"): "biweekly", ("MONTHLY", "1"): "monthly"}
    pattern = names.get((freq, interval), "bimonthly")
    chosen = tuple(int(m) for m in months.split(",")) if months else ()
    return Recurrence(pattern, int(nth) if nth else None, False, until, count, months=chosen)
