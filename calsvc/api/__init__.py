"""JSON API under ``/api/v1``: one module per resource; each route declares its OpenAPI operation.

``/api/v1/openapi.json`` is built from the routes themselves (:mod:`calsvc.api.openapi`), with
the request bodies taken from the input models the services validate with.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify

from .openapi import build_document

__all__ = ["bp", "register"]

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(build_document(current_app))


def register(app: Flask) -> None:
    """Import the resource modules (they attach routes to ``bp``) and mount the blueprint."""
    from . import availability, conflicts, invitations, read, recurrence, write, write_activities, write_people  # noqa: F401

    app.register_blueprint(bp)
