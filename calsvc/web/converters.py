"""URL converters: an ``<int:…>`` in a route never exceeds what the database can compare."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

__all__ = ["DatabaseInt"]

# Ids are INTEGER columns: PostgreSQL refuses larger numbers, SQLite overflows beyond 2**63 (a 500).
MAX_INT = 2**31 - 1


class DatabaseInt(IntegerConverter):
    """``<int:id>`` limited to 0…2**31-1; larger numbers match no route (404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)
