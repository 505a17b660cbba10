"""The 409 page of a stale edit keeps what the person typed: their values beside what changed meanwhile."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from calsvc.editing.audit import LABELS
from calsvc.editing.recurrence_picker import PATTERNS

__all__ = ["TypedField", "changed_labels", "typed_fields"]

FORM_LABELS = {
    **LABELS,
    "date": "Datum",
    "time": "Uhrzeit",
    "pattern": "Wiederholungsmuster",
    "rrule": "Eigene Regel (RRULE)",
    "nth": "Wochentag des Monats",
    "skip_summer": "ausgenommen Juli/August",
    "end_mode": "Ende",
    "until": "Ende am",
    "count": "Anzahl Termine",
    "new_date": "Neues Datum",
    "new_time": "Neue Uhrzeit",
    "new_duration_minutes": "Dauer (Minuten)",
    "new_location": "Ort",
    "note": "Notiz",
    "action": "Aktion",
    "day": "Datum",
    "person": "Person",
    "role": "Rolle",
    "months": "Monat (1–12)",
    "assistant_from": "Suchen ab",
    "assistant_to": "Suchen bis",
    "assistant_hours": "Arbeitszeit",
}
CHOICES: dict[str, dict[str, str]] = {  # fields picked from a list: resent as they were, shown in German
    "pattern": PATTERNS,
    "status": {"confirmed": "bestätigt", "tentative": "vorläufig", "cancelled": "abgesagt"},
    "end_mode": {"none": "ohne Ende", "until": "Ende am Datum", "count": "nach Anzahl Terminen"},
    "skip_summer": {"y": "ja"},
    "nth": {"": "wie am Beginn", "1": "ersten", "2": "zweiten", "3": "dritten", "4": "vierten", "-1": "letzten"},
}
NOT_SHOWN = {"csrf_token", "version", "confirm"}
HIDDEN = {
    "action",
    "people_shown",
    "participants_default",
}  # which button was pressed, which fieldsets were there: resent, not edited
LONG = {"description", "notes", "note", "guests"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}")


@dataclass(frozen=True)
class TypedField:
    """One submitted form field as the 409 page offers it again."""

    name: str
    label: str
    value: str
    kind: str  # "text", "date", "time", "textarea", "choice" (shown as ``shown``, resent unchanged) or "hidden"
    shown: str = ""


def _kind(name: str, value: str) -> str:
    if name in HIDDEN:
        return "hidden"
    if name in CHOICES:
        return "choice"
    if name in LONG:
        return "textarea"
    if _DATE.fullmatch(value):
        return "date"
    if _TIME.fullmatch(value):
        return "time"
    return "text"


def typed_fields(form: Mapping[str, str]) -> list[TypedField]:
    """The submitted values (without token and version), labelled in German, in form order.

    A field sent several times (ticked persons, months) comes back once per value.
    """
    getlist = getattr(form, "getlist", None)
    pairs = [(k, v) for k in form for v in getlist(k)] if getlist else list(form.items())
    return [
        TypedField(
            name, FORM_LABELS.get(name, name), value, _kind(name, value), CHOICES.get(name, {}).get(value, value)
        )
        for name, value in pairs
        if name not in NOT_SHOWN
    ]


def changed_labels(changes: Mapping[str, list[object]]) -> list[tuple[str, object, object]]:
    """``(German label, then, now)`` for each field another person changed."""
    return [(FORM_LABELS.get(name, name), pair[0], pair[1]) for name, pair in changes.items() if name != "sequence"]
