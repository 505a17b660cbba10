"""URL converters: an ``<int:…>`` in a route never exceeds what the database can compare."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

__all__ = ["OUT_OF_RANGE", "DatabaseInt"]

# Ids are INTEGER columns: PostgreSQL refuses larger numbers, SQLite overflows beyond 2**63 (a 500).
MAX_INT = 2**31 - 1
OUT_OF_RANGE = -1  # names no row, no year, no quarter: every view answers its own 404


class DatabaseInt(IntegerConverter):
    """``<int:id>`` whose numbers above 2**31-1 become -1, so the route still matches.

    Refusing them in the converter instead would make werkzeug answer 405 for routes that
    share the path with other methods (DELETE /api/v1/series/<huge> → "405, Allow: GET").
    """

    def to_python(self, value: str) -> Any:
        number = super().to_python(value)
        return number if number <= MAX_INT else OUT_OF_RANGE
