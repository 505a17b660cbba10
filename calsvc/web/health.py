"""``/healthz``: is the app up and can it reach its database?"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import text

from calsvc.db import current_data_version, get_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    """200 with the data version when the database answers, 503 otherwise."""
    try:
        session = get_session()
        session.execute(text("SELECT 1"))
        version = current_data_version(session)
    except Exception:
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok", "data_version": version})
