"""The series form's helpers that save nothing: the recurrence preview and the scheduling assistant.

Both answer a submit button ("Vorschau", "Freie Termine suchen", a slot) with the same form and
the result next to it, so the form works without JavaScript; ``series_form.js`` does the same
in place (the preview through ``/api/v1/recurrence/preview``, a slot by filling the fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from calsvc.config import conflict_settings
from calsvc.conflicts.ranking import rank_slots
from calsvc.conflicts.service import free_slots
from calsvc.db import get_session
from calsvc.editing.preview import Preview, preview
from calsvc.errors import CalsvcError, ValidationError
from calsvc.models import Gremium

from .edit_forms import joined_moment

__all__ = ["ASSISTANT_DAYS", "FormTools", "form_tools", "preview_data"]

ASSISTANT_DAYS = 14
MAX_ASSISTANT_DAYS = 92


@dataclass
class FormTools:
    """What the tool buttons produced: a preview, ranked slots, and errors by field."""

    preview: Preview | None = None
    slots: list[tuple[datetime, datetime]] | None = None
    slot_people: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def preview_data(values: dict[str, Any]) -> dict[str, Any]:
    """The form's recurrence fields as the preview (and the API) read them."""
    keys = ("duration_minutes", "pattern", "nth", "end_mode", "until", "count", "rrule", "skip_summer")
    data = {k: values.get(k, "") for k in keys}
    data["dtstart"] = joined_moment(values, "date", "time")
    data["months"] = values.get("months") or []
    data["limit"] = 10
    return data


def form_tools(values: dict[str, Any]) -> FormTools | None:
    """Run the tool whose button was pressed (``None``: the form was sent to be saved)."""
    if not {"preview", "assistant", "slot"} & values.keys():
        return None
    tools = FormTools()
    if "slot" in values:
        _take_slot(values, tools)
    if "assistant" in values:
        _assistant(values, tools)
    try:
        tools.preview = preview(preview_data(values))
    except CalsvcError as exc:
        tools.errors["preview"] = exc.message
    return tools


def _take_slot(values: dict[str, Any], tools: FormTools) -> None:
    """A chosen slot fills the date and time fields."""
    try:
        moment = datetime.fromisoformat(str(values["slot"]))
    except ValueError:
        tools.errors["assistant"] = "Der gewählte Termin ist ungültig."
        return
    values["date"], values["time"] = moment.date().isoformat(), f"{moment:%H:%M}"


def _assistant(values: dict[str, Any], tools: FormTools) -> None:
    """Ranked free slots for the chosen people (or the Gremium's members) and duration."""
    people = list(values.get("participants") or [])
    if not people and values.get("gremium"):
        gremium = get_session().scalar(select(Gremium).where(Gremium.slug == values["gremium"]))
        people = [p.code for p in gremium.members] if gremium else []
    tools.slot_people = people
    raw_minutes = str(values.get("duration_minutes") or "").strip()
    if not raw_minutes.isdigit() or not 5 <= int(raw_minutes) <= 24 * 60:
        tools.errors["assistant"] = "Bitte oben eine Dauer (5 bis 1440 Minuten) angeben."
        return
    minutes = int(raw_minutes)
    try:
        start, end = _window(values)
        found = free_slots(
            get_session(),
            people,
            minutes,
            start,
            end,
            work_hours=(values.get("assistant_hours") or "").strip() or None,
            settings=conflict_settings(),
        )
    except CalsvcError as exc:
        tools.errors["assistant"] = exc.message
        return
    tools.slots = rank_slots(found)


def _window(values: dict[str, Any]) -> tuple[date, date]:
    """The searched days: ``assistant_from`` (default the form's date or today) for up to three months."""
    try:
        start = date.fromisoformat(values.get("assistant_from") or values.get("date") or date.today().isoformat())
        raw_end = values.get("assistant_to")
        end = date.fromisoformat(raw_end) + timedelta(days=1) if raw_end else start + timedelta(days=ASSISTANT_DAYS)
    except ValueError:
        raise ValidationError("Bitte die Suchdaten als Datum angeben.", field="assistant_from") from None
    if end <= start:
        raise ValidationError("„Suchen bis“ muss nach „Suchen ab“ liegen.", field="assistant_to")
    if end - start > timedelta(days=MAX_ASSISTANT_DAYS):
        raise ValidationError("Bitte höchstens drei Monate auf einmal durchsuchen.", field="assistant_to")
    return start, end
