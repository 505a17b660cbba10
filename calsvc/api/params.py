"""Parsing of query parameters for the API: dates, windows, person lists — with field names."""

from __future__ import annotations

from datetime import date, timedelta

from flask import request

from calsvc.errors import ValidationError
from calsvc.schedule.bounds import MAX_WINDOW_DAYS, OUTSIDE, YEARS

__all__ = ["MAX_WINDOW", "date_param", "window_params"]

MAX_WINDOW = timedelta(days=MAX_WINDOW_DAYS)


def date_param(name: str, default: date | None = None) -> date:
    """``?name=2024-05-01`` as a date; 422 naming ``name`` when missing or malformed."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        if default is None:
            raise ValidationError(f"Parameter „{name}“ fehlt (Format JJJJ-MM-TT).", field=name)
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"„{raw}“ ist kein Datum im Format JJJJ-MM-TT.", field=name) from None


def window_params(default_days: int = 31) -> tuple[date, date]:
    """``from``/``to`` (``to`` exclusive) with sane defaults and at most five years in between.

    ``from`` is checked before the default ``to`` is computed from it: the day after 31.12.9999
    does not exist, and a request must get a 422 naming the field, not a server error.
    """
    start = date_param("from", date.today())
    if start.year not in YEARS:
        raise ValidationError(OUTSIDE, field="from")
    end = date_param("to", start + timedelta(days=default_days))
    if end <= start:
        raise ValidationError("„to“ muss nach „from“ liegen.", field="to")
    if end - start > MAX_WINDOW:
        raise ValidationError("Der Zeitraum darf höchstens fünf Jahre umfassen.", field="to")
    if end.year not in YEARS:
        raise ValidationError(OUTSIDE, field="to")
    return start, end
