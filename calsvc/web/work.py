"""Every request works within a budget of expanded occurrences (:mod:`calsvc.schedule.budget`).

A request that would expand more is answered with 422 naming what to shrink, instead of
holding a worker for a minute; the limit is ``CALSVC_REQUEST_OCCURRENCES``.
"""

from __future__ import annotations

from flask import Flask, g

from calsvc.schedule.budget import REQUEST_OCCURRENCES, close_budget, open_budget

__all__ = ["register"]


def register(app: Flask) -> None:
    """Open a fresh budget before each request and close it after."""
    limit = int(app.config.get("CALSVC_REQUEST_OCCURRENCES") or REQUEST_OCCURRENCES)

    @app.before_request
    def _open() -> None:
        g.work_budget = open_budget(limit)

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        token = g.pop("work_budget", None)
        if token is not None:
            close_budget(token)
