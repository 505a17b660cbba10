"""Bounded work per request: body size and JSON depth, shared limits on expensive anonymous
endpoints, and the audit trail only for known users — checked before any view runs."""

from __future__ import annotations

import re
from contextlib import suppress
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import RequestEntityTooLarge

from calsvc.api.write_support import Forbidden, Unauthorized, writer
from calsvc.editing.accounts import can_write
from calsvc.errors import CalsvcError

from .auth import current_user
from .ratelimit import client_address, counter, too_many

__all__ = ["EXPENSIVE_ENDPOINTS", "MAX_JSON_DEPTH", "BadBody", "json_depth", "register"]

MAX_JSON_DEPTH = 32
# Each of these expands series over months or renders a document: cheap to ask, dear to answer.
EXPENSIVE_ENDPOINTS = frozenset(
    {
        "api.check_conflicts",
        "api.list_free_slots",
        "api.list_conflicts",
        "api.recurrence_preview",
        "konflikte.konflikte",
        "konflikte.free_times",
        "bericht.download",
        "arbeitsplan.download",
    }
)
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class BadBody(CalsvcError):
    """A request body no view should see (HTTP 400); not a ValueError, so ``silent=True`` cannot hide it."""

    code = "bad_request"
    http_status = 400


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


class GuardedJSONProvider(DefaultJSONProvider):
    """Refuses deeply nested documents before the parser recurses into them (a 500 before)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse ``s`` unless it nests deeper than :data:`MAX_JSON_DEPTH`."""
        text = s.decode("utf-8", "replace") if isinstance(s, bytes | bytearray) else s
        if json_depth(text) > MAX_JSON_DEPTH:
            raise BadBody(f"Der JSON-Inhalt ist tiefer als {MAX_JSON_DEPTH} Ebenen verschachtelt.", field="body")
        return super().loads(s, **kwargs)


def _exempt() -> bool:
    """Editors in the browser and API clients with a valid token are known and not limited."""
    if can_write(current_user()):
        return True
    if not request.headers.get("Authorization"):
        return False
    try:
        writer()
    except Forbidden:  # a valid token of a read-only user
        return True
    except Unauthorized:
        return False
    return True


def _limit_expensive(app: Flask) -> None:
    """CALSVC_EXPENSIVE_REQUESTS per CALSVC_EXPENSIVE_WINDOW_SECONDS per client address, all workers together."""
    if request.endpoint not in EXPENSIVE_ENDPOINTS or _exempt():
        return
    limit = int(app.config["CALSVC_EXPENSIVE_REQUESTS"])
    window = int(app.config["CALSVC_EXPENSIVE_WINDOW_SECONDS"])
    wait = counter().hit(f"expensive:{client_address()}", limit, window)
    if wait is not None:
        raise too_many(f"Zu viele aufwendige Anfragen. Bitte in {wait} Sekunden erneut versuchen.", wait)


def _audit_needs_a_user() -> None:
    """The audit trail names people: only for logged-in users or a valid API token (401 otherwise)."""
    if request.endpoint != "api.audit_api" or current_user() is not None:
        return
    if not request.headers.get("Authorization"):
        raise Unauthorized(
            "Das Änderungsprotokoll gibt es nur nach Anmeldung oder mit „Authorization: Bearer <Token>“.",
            field="Authorization",
        )
    with suppress(Forbidden):  # a valid token of a read-only user: reading is allowed to every role
        writer()


def register(app: Flask) -> None:
    """Install the JSON depth check and the guards; runs before the other request hooks."""
    app.json = GuardedJSONProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["CALSVC_MAX_BODY_BYTES"])

    @app.before_request
    def _guard() -> None:
        limit = app.config["MAX_CONTENT_LENGTH"]
        if request.content_length is not None and limit and request.content_length > limit:
            raise RequestEntityTooLarge(f"Die Anfrage ist größer als {limit // 1024} KB.")
        if request.is_json:
            request.get_json(silent=True)  # BadBody (400) for deep nesting, on any address
        _audit_needs_a_user()
        _limit_expensive(app)
