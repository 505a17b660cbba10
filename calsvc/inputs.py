"""Field rules for input models: form strings and JSON values in, clean values out, German errors.

The editing commands' models (:mod:`calsvc.editing.schemas`) and the proposal of the conflict
check (:mod:`calsvc.conflicts.proposals`) are built from these rules, and :func:`validate`
turns the first problem into calsvc's ValidationError naming its field.

Each factory returns a :class:`Rule` for ``Annotated[<type>, rule]``: its validator reads what forms
send ("60", "", "y") and what the API sends (numbers, booleans); its JSON schema is what the
OpenAPI document shows for the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel, BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from calsvc.errors import ValidationError
from calsvc.schedule.bounds import OUTSIDE, YEARS
from calsvc.schedule.walltime import as_local_naive, wall_time_problem

__all__ = [
    "ERROR_TYPE",
    "Rule",
    "boolean",
    "choice",
    "clock",
    "codes",
    "day",
    "email",
    "german_error",
    "guest_lines",
    "integer",
    "moment",
    "months",
    "text",
    "validate",
]

M = TypeVar("M", bound=BaseModel)

ERROR_TYPE = "calsvc"  # pydantic error type whose message is already the German text for the user
MOMENT_HINT = "Berliner Ortszeit JJJJ-MM-TTTHH:MM"


@dataclass(frozen=True)
class Rule:
    """How a field is read and documented; ``label`` is its German name for messages (also when missing)."""

    check: Callable[[Any, ValidationInfo], Any]
    schema: dict[str, Any]
    label: str = ""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Run ``check`` before pydantic's own validation, so raw form strings reach it."""
        return BeforeValidator(self.check).__get_pydantic_core_schema__(source, handler)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """Document what the API accepts (JSON types), not the looser form input ``check`` also reads.

        An empty ``schema`` leaves the document to pydantic (a list of item models).
        """
        return dict(self.schema) if self.schema else handler(schema)


def fail(message: str) -> PydanticCustomError:
    """A validation error carrying ``message`` verbatim (braces in user input are not templates)."""
    return PydanticCustomError(ERROR_TYPE, "{message}", {"message": message})


def _name(info: ValidationInfo, label: str) -> str:
    return label or info.field_name or "?"


def text(
    *, max_len: int = 300, required: bool = False, label: str = "", pattern: str = "", hint: str = "", about: str = ""
) -> Rule:
    """A stripped string; required ones must not be empty; ``pattern`` (with ``hint`` as error) if given."""
    regex = re.compile(pattern) if pattern else None

    def check(raw: Any, info: ValidationInfo) -> str:
        name = _name(info, label)
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raise fail(f"„{name}“ muss Text sein.")
        value = raw.replace("\r\n", "\n").strip()
        if bad := next((c for c in value if c not in "\t\n" and unicodedata.category(c) == "Cc"), None):
            raise fail(f"„{name}“ enthält ein Steuerzeichen (U+{ord(bad):04X}); bitte entfernen.")
        if required and not value:
            raise fail(f"„{name}“ darf nicht leer sein.")
        if len(value) > max_len:
            raise fail(f"„{name}“ darf höchstens {max_len} Zeichen haben.")
        if regex is not None and value and not regex.match(value):
            raise fail(hint)
        return value

    schema: dict[str, Any] = {"type": "string", "maxLength": max_len}
    if pattern:
        schema["pattern"] = pattern
    if about:
        schema["description"] = about
    return Rule(check, schema, label)


def integer(*, lo: int, hi: int, required: bool = True, label: str = "", enum: tuple[int, ...] = ()) -> Rule:
    """A whole number in ``[lo, hi]`` (``None`` when optional and empty); ``enum`` narrows the documented values."""

    def check(raw: Any, info: ValidationInfo) -> int | None:
        name = _name(info, label)
        if raw is None or raw == "":
            if required:
                raise fail(f"„{name}“ fehlt.")
            return None
        if isinstance(raw, bool):
            raise fail(f"„{name}“ muss eine ganze Zahl sein.")
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise fail(f"„{name}“ muss eine ganze Zahl sein.") from None
        if not lo <= value <= hi:
            raise fail(f"„{name}“ muss zwischen {lo} und {hi} liegen.")
        return value

    schema: dict[str, Any] = (
        {"type": "integer", "enum": list(enum)}
        if enum
        else {
            "type": "integer",
            "minimum": lo,
            "maximum": hi,
        }
    )
    return Rule(check, schema, label)


def moment(*, required: bool = True, label: str = "", offsets: bool = False) -> Rule:
    """A naive Berlin wall time from ``2024-03-14T14:00`` (seconds dropped).

    A value with an offset is refused, unless ``offsets``: then it is converted to Berlin time.
    """

    def check(raw: Any, info: ValidationInfo) -> datetime | None:
        if raw is None or raw == "":
            if required:
                raise fail(f"„{_name(info, label)}“ fehlt (Format JJJJ-MM-TTTHH:MM).")
            return None
        try:
            value = datetime.fromisoformat(str(raw).strip())
        except ValueError:
            raise fail(f"„{raw}“ ist kein Zeitpunkt im Format JJJJ-MM-TTTHH:MM.") from None
        if value.tzinfo is not None and not offsets:
            raise fail("Bitte Ortszeit Berlin ohne Zeitzonenangabe angeben.")
        if value.year not in YEARS:  # before converting: year 1 with an offset overflows
            raise fail(OUTSIDE)
        value = as_local_naive(value).replace(second=0, microsecond=0)
        problem = wall_time_problem(value)  # the spring gap and the autumn fold are not one moment
        if problem is not None:
            raise fail(problem)
        return value

    hint = MOMENT_HINT + ("; mit Offset (z. B. +02:00) wird umgerechnet" if offsets else "")
    return Rule(check, {"type": "string", "description": hint}, label)


def day(*, required: bool = False, label: str = "") -> Rule:
    """A date from ``2024-03-14`` or ``14.03.2024``."""

    def check(raw: Any, info: ValidationInfo) -> date | None:
        if raw is None or raw == "":
            if required:
                raise fail(f"„{_name(info, label)}“ fehlt.")
            return None
        value = str(raw).strip()
        try:
            parsed = datetime.strptime(value, "%d.%m.%Y").date() if "." in value else date.fromisoformat(value)
        except ValueError:
            raise fail(f"„{raw}“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).") from None
        if parsed.year not in YEARS:
            raise fail(OUTSIDE)
        return parsed

    return Rule(check, {"type": "string", "format": "date"}, label)


def clock(*, label: str = "") -> Rule:
    """An optional time of day from ``09:30`` (Berlin wall time); empty means none."""

    def check(raw: Any, info: ValidationInfo) -> time | None:
        if raw is None or raw == "":
            return None
        try:
            value = time.fromisoformat(str(raw).strip())
        except ValueError:
            raise fail(f"„{raw}“ ist keine Uhrzeit im Format HH:MM.") from None
        return value.replace(second=0, microsecond=0, tzinfo=None)

    return Rule(check, {"type": "string", "pattern": r"^\d{2}:\d{2}$", "description": "HH:MM, Ortszeit Berlin"}, label)


_FALSE = ("", "0", "false", "no", "n", "off", "nein")
_TRUE = ("1", "true", "yes", "y", "on", "ja")


def boolean(*, description: str = "") -> Rule:
    """A checkbox or JSON boolean: ``y``, ``on``, ``true``, ``1`` are true; missing or empty is false."""

    def check(raw: Any, info: ValidationInfo) -> bool:
        if isinstance(raw, bool):
            return raw
        if raw is None:
            return False
        value = str(raw).strip().lower()
        if value in _FALSE:
            return False
        if value in _TRUE:
            return True
        raise fail(f"„{info.field_name}“ muss ja oder nein sein.")

    schema: dict[str, Any] = {"type": "boolean"}
    if description:
        schema["description"] = description
    return Rule(check, schema)


def choice(options: tuple[str, ...], *, default: str | None = None, label: str = "") -> Rule:
    """One of ``options``; empty means ``default`` when there is one."""

    def check(raw: Any, info: ValidationInfo) -> str:
        if (raw is None or raw == "") and default is not None:
            return default
        if raw not in options:
            raise fail(f"„{_name(info, label)}“ muss eine von {', '.join(options)} sein.")
        return str(raw)

    return Rule(check, {"type": "string", "enum": list(options)}, label)


def codes(*, label: str = "", nullable: bool = False) -> Rule:
    """Person codes as a JSON list or comma-separated text; duplicates and blanks dropped.

    ``nullable``: JSON ``null`` stays ``None`` (e.g. "the Gremium's members" instead of a list).
    """

    def check(raw: Any, info: ValidationInfo) -> list[str] | None:
        if raw is None and nullable:
            return None
        items = raw.split(",") if isinstance(raw, str) else raw or []
        if not isinstance(items, list | tuple):
            raise fail(f"„{_name(info, label)}“ ist eine Liste von Kürzeln.")
        return [code for code in dict.fromkeys(str(c).strip() for c in items) if code]

    schema: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
    return Rule(check, {"anyOf": [schema, {"type": "null"}]} if nullable else schema, label)


def months(*, label: str = "Monate") -> Rule:
    """Month numbers 1..12 as a JSON list, form checkboxes (a list of texts) or ``"2,3,4"``; sorted, once each."""

    def check(raw: Any, info: ValidationInfo) -> list[int]:
        items = raw.split(",") if isinstance(raw, str) else raw if raw is not None else []
        if not isinstance(items, list | tuple):
            raise fail(f"„{_name(info, label)}“ ist eine Liste von Monatsnummern (1–12).")
        found = set()
        for item in items:
            text_value = str(item).strip()
            if not text_value:
                continue
            if isinstance(item, bool) or not text_value.isdigit() or not 1 <= int(text_value) <= 12:
                raise fail(f"„{_name(info, label)}“: „{text_value[:20]}“ ist kein Monat (1–12).")
            found.add(int(text_value))
        return sorted(found)

    schema = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}, "uniqueItems": True}
    return Rule(check, schema, label)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def email(*, label: str = "E-Mail") -> Rule:
    """An e-mail address (``user@host.tld``) or nothing (``None``)."""

    def check(raw: Any, info: ValidationInfo) -> str | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if not isinstance(raw, str) or len(raw.strip()) > 200 or not _EMAIL.match(raw.strip()):
            raise fail(f"„{_name(info, label)}“ ist keine E-Mail-Adresse (name@beispiel.de): {str(raw)[:80]}")
        return raw.strip()

    return Rule(check, {"anyOf": [{"type": "string", "format": "email", "maxLength": 200}, {"type": "null"}]}, label)


def guest_lines(*, label: str = "Gäste") -> Rule:
    """Guests as a JSON list of objects, or form text: one guest a line, ``Name; E-Mail; Organisation``."""

    def check(raw: Any, info: ValidationInfo) -> list[Any] | None:
        if raw is None:
            return []
        if not isinstance(raw, str):
            return raw  # JSON: the item model checks each object
        guests = []
        for number, line in enumerate(raw.replace("\r\n", "\n").split("\n"), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) > 3:
                raise fail(f"„{_name(info, label)}“, Zeile {number}: höchstens Name; E-Mail; Organisation.")
            parts += [""] * (3 - len(parts))
            guests.append({"name": parts[0], "email": parts[1], "organisation": parts[2]})
        return guests

    return Rule(check, {}, label)


def validate(model: type[M], data: Mapping[str, Any]) -> M:
    """``data`` as ``model``; the first problem becomes a 422 ValidationError naming its field."""
    try:
        return model.model_validate(dict(data))
    except pydantic.ValidationError as exc:
        raise german_error(exc, model) from None


def german_error(exc: pydantic.ValidationError, model: type[BaseModel]) -> ValidationError:
    """pydantic's ValidationError as calsvc's: German message, ``field`` = the first element of its location."""
    first = exc.errors(include_url=False)[0]
    field = str(first["loc"][0]) if first["loc"] else None
    if first["type"] == ERROR_TYPE:
        return ValidationError(first["msg"], field=field)
    info = model.model_fields.get(field or "")
    label = next((m.label for m in info.metadata if isinstance(m, Rule) and m.label), field) if info else field
    if first["type"] == "missing":
        return ValidationError(f"„{label}“ fehlt.", field=field)
    if field is None:
        return ValidationError("Die Eingabe muss ein Objekt mit Feldern sein.", field="body")
    return ValidationError(f"„{label}“ ist ungültig.", field=field)
