"""JSON API under ``/api/v1``: one module per resource, each adding its OpenAPI paths.

Modules register their routes on :data:`bp` and their path documentation with
:func:`document`; ``/api/v1/openapi.json`` serves the collected document.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, jsonify

__all__ = ["bp", "document", "register"]

bp = Blueprint("api", __name__, url_prefix="/api/v1")
_PATHS: dict[str, dict[str, Any]] = {}
_SCHEMAS: dict[str, dict[str, Any]] = {}


def document(paths: dict[str, dict[str, Any]], schemas: dict[str, dict[str, Any]] | None = None) -> None:
    """Add OpenAPI path items (and component schemas) for a resource module."""
    for path, item in paths.items():
        _PATHS.setdefault(path, {}).update(item)
    _SCHEMAS.update(schemas or {})


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "calsvc API",
                "version": "1",
                "description": "Kalender des Integrationsbüros Marzahn-Hellersdorf. "
                'Errors: {"error": {"code", "message", "field"}}.',
            },
            "paths": _PATHS,
            "components": {
                "schemas": {"Error": ERROR_SCHEMA, **_SCHEMAS},
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        }
    )


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
            },
        }
    },
}


def register(app: Flask) -> None:
    """Import the resource modules (they attach routes to ``bp``) and mount the blueprint."""
    from . import conflicts, read, write, write_activities, write_docs, write_people  # noqa: F401 - registers routes

    app.register_blueprint(bp)
