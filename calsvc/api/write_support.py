"""What every API write needs: the Bearer-token user, the If-Match version, the JSON body, one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import g, request
from sqlalchemy.orm import Session

from calsvc.db import get_session
from calsvc.editing.accounts import can_write
from calsvc.editing.versions import parse_version, stale_guard
from calsvc.errors import CalsvcError, ValidationError
from calsvc.models import User
from calsvc.web.auth import bearer_user

__all__ = ["Forbidden", "Unauthorized", "body", "if_match", "token_user", "transaction", "writer"]


class Unauthorized(CalsvcError):
    """No valid API token (HTTP 401)."""

    code = "unauthorized"
    http_status = 401


class Forbidden(CalsvcError):
    """A valid token whose user may only read (HTTP 403)."""

    code = "forbidden"
    http_status = 403


def token_user() -> User:
    """The active user behind ``Authorization: Bearer <token>``, of any role (401 otherwise)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "Schreibzugriffe brauchen die Kopfzeile „Authorization: Bearer <Token>“.", field="Authorization"
        )
    user = bearer_user()
    if user is None:
        raise Unauthorized("Das API-Token ist ungültig oder widerrufen.", field="Authorization")
    g.api_user = user
    return user


def writer() -> User:
    """The user behind ``Authorization: Bearer <token>``, who must be an editor or admin."""
    user = token_user()
    if not can_write(user):
        raise Forbidden("Diese Rolle darf nur lesen.", field="Authorization")
    g.api_user = user
    return user


def body() -> dict[str, Any]:
    """The JSON object of the request (422 naming ``body`` otherwise)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("Der Anfrageinhalt muss ein JSON-Objekt sein.", field="body")
    return data


def if_match(data: dict[str, Any] | None = None) -> int:
    """The version the client edits: ``If-Match: "3"`` (or ``"version"`` in the body); 428 if missing."""
    header = request.headers.get("If-Match")
    if header:
        return parse_version(header, field="If-Match")
    return parse_version((data or {}).get("version"), field="If-Match")


@contextmanager
def transaction() -> Iterator[Session]:
    """All or nothing: commit at the end, roll back on any error; a race becomes 409."""
    session = get_session()
    try:
        with stale_guard():
            yield session
            session.commit()
    except BaseException:
        session.rollback()
        raise
