"""``/healthz``: is the app up, can it reach its database, and did a feed leave an item out?"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import text

from calsvc.db import current_data_version, get_session
from calsvc.publishing.problems import left_out

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
    problems = left_out.listed()
    return jsonify(
        {
            "status": "degraded" if problems else "ok",
            "database": "ok",
            "data_version": version,
            "left_out_of_feeds": problems,
        }
    )
