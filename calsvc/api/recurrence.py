"""The recurrence preview: what a rule being edited means, in German, with its next dates (nothing saved)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from calsvc.editing.preview import preview
from calsvc.editing.schemas import PreviewInput

from . import bp
from .openapi import error, json_response, operation

__all__: list[str] = []


@bp.get("/recurrence/preview")
@operation(
    "Vorschau einer Wiederholung: RRULE, Regel auf Deutsch (rule_text) und die nächsten Termine",
    {
        "200": json_response("Die Regel und ihre ersten Termine (Berliner Ortszeit)", {"type": "object"}),
        "422": error("Ungültige oder widersprüchliche Eingabe; field nennt das Feld"),
        "429": error("Zu viele Anfragen von dieser Adresse (ohne Anmeldung); Retry-After sagt, wann wieder"),
    },
    query_model=PreviewInput,
)
def recurrence_preview() -> Any:
    """The picker's choice (as query parameters, ``months`` comma-separated) as rule, words and dates.

    Anonymous callers are rate-limited like the other expanding endpoints; editors are not.
    """
    return jsonify(preview(request.args.to_dict()).to_dict())
