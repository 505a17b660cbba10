"""Field validators shared by forms and the API: raw value in, clean value out, 422 naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from calsvc.errors import ValidationError

__all__ = ["boolean", "choice", "day", "integer", "moment", "text"]


def text(data: Mapping[str, Any], name: str, *, required: bool = False, max_len: int = 300, label: str = "") -> str:
    """A stripped string; required ones must not be empty."""
    raw = data.get(name)
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise ValidationError(f"„{label or name}“ muss Text sein.", field=name)
    value = raw.strip()
    if required and not value:
        raise ValidationError(f"„{label or name}“ darf nicht leer sein.", field=name)
    if len(value) > max_len:
        raise ValidationError(f"„{label or name}“ darf höchstens {max_len} Zeichen haben.", field=name)
    return value


def integer(
    data: Mapping[str, Any], name: str, *, lo: int, hi: int, required: bool = True, label: str = ""
) -> int | None:
    """A whole number in ``[lo, hi]`` (``None`` when optional and empty)."""
    raw = data.get(name)
    if raw is None or raw == "":
        if required:
            raise ValidationError(f"„{label or name}“ fehlt.", field=name)
        return None
    if isinstance(raw, bool):
        raise ValidationError(f"„{label or name}“ muss eine ganze Zahl sein.", field=name)
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValidationError(f"„{label or name}“ muss eine ganze Zahl sein.", field=name) from None
    if not lo <= value <= hi:
        raise ValidationError(f"„{label or name}“ muss zwischen {lo} und {hi} liegen.", field=name)
    return value


def moment(data: Mapping[str, Any], name: str, *, required: bool = True, label: str = "") -> datetime | None:
    """A naive Berlin wall time from ``2024-03-14T14:00`` (seconds dropped; offsets refused)."""
    raw = data.get(name)
    if raw is None or raw == "":
        if required:
            raise ValidationError(f"„{label or name}“ fehlt (Format JJJJ-MM-TTTHH:MM).", field=name)
        return None
    try:
        value = datetime.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValidationError(f"„{raw}“ ist kein Zeitpunkt im Format JJJJ-MM-TTTHH:MM.", field=name) from None
    if value.tzinfo is not None:
        raise ValidationError("Bitte Ortszeit Berlin ohne Zeitzonenangabe angeben.", field=name)
    if not 1990 <= value.year <= 2100:
        raise ValidationError("Datum außerhalb des unterstützten Bereichs (1990–2100).", field=name)
    return value.replace(second=0, microsecond=0)


def day(data: Mapping[str, Any], name: str, *, required: bool = False, label: str = "") -> date | None:
    """A date from ``2024-03-14`` or ``14.03.2024``."""
    raw = data.get(name)
    if raw is None or raw == "":
        if required:
            raise ValidationError(f"„{label or name}“ fehlt.", field=name)
        return None
    value = str(raw).strip()
    try:
        parsed = datetime.strptime(value, "%d.%m.%Y").date() if "." in value else date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"„{raw}“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).", field=name) from None
    if not 1990 <= parsed.year <= 2100:
        raise ValidationError("Datum außerhalb des unterstützten Bereichs (1990–2100).", field=name)
    return parsed


def boolean(data: Mapping[str, Any], name: str) -> bool:
    """A checkbox or JSON boolean: ``y``, ``on``, ``true``, ``1`` are true; missing is false."""
    raw = data.get(name)
    if isinstance(raw, bool):
        return raw
    if raw is None:
        return False
    value = str(raw).strip().lower()
    if value in ("", "0", "false", "no", "n", "off", "nein"):
        return False
    if value in ("1", "true", "yes", "y", "on", "ja"):
        return True
    raise ValidationError(f"„{name}“ muss ja oder nein sein.", field=name)


def choice(data: Mapping[str, Any], name: str, options: tuple[str, ...], *, default: str | None = None) -> str:
    """One of ``options``."""
    raw = data.get(name)
    if (raw is None or raw == "") and default is not None:
        return default
    if raw not in options:
        raise ValidationError(f"„{name}“ muss eine von {', '.join(options)} sein.", field=name)
    return str(raw)
