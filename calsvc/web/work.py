"""Every request works within a budget of expanded occurrences (:mod:`calsvc.schedule.budget`).

A request that would expand more is answered with 422 naming what to shrink, instead of
holding a worker for a minute; the limit is ``CALSVC_REQUEST_OCCURRENCES`` for users who are
logged in or send a valid API token, and the smaller ``CALSVC_ANONYMOUS_OCCURRENCES`` for
everybody else (what a burst of anonymous requests can cost).
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from calsvc.schedule.budget import ANONYMOUS_OCCURRENCES, REQUEST_OCCURRENCES, close_budget, open_budget

from .auth import bearer_user, current_user

__all__ = ["register"]


def register(app: Flask) -> None:
    """Open a fresh budget before each request and close it after."""
    limit = int(app.config.get("CALSVC_REQUEST_OCCURRENCES") or REQUEST_OCCURRENCES)
    anonymous = min(limit, int(app.config.get("CALSVC_ANONYMOUS_OCCURRENCES") or ANONYMOUS_OCCURRENCES))

    @app.before_request
    def _open() -> None:
        g.work_budget = open_budget(limit if _known() else anonymous)

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        token = g.pop("work_budget", None)
        if token is not None:
            close_budget(token)


def _known() -> bool:
    """A logged-in user, or a valid ``Authorization: Bearer`` token (a made-up header counts as anonymous).

    The session is read only when the request brings its cookie: reading it marks the answer
    ``Vary: Cookie``, which public feeds and pages must not get (caches would keep one per cookie).
    """
    if current_app.config["SESSION_COOKIE_NAME"] in request.cookies and current_user() is not None:
        return True
    return bearer_user() is not None
