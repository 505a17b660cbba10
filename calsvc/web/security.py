"""Security headers on every answer (CSP without inline code, no framing, no sniffing), and
refusal of NUL characters in any input before a view can pass them to the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request

from calsvc.errors import NotFound, ValidationError

__all__ = ["register", "security_headers"]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def security_headers(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The headers every answer carries, in one list (views may set stricter ones themselves)."""
    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "geolocation=(), camera=(), microphone=()"),
    ]
    if config.get("CALSVC_HSTS"):
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return headers


def _nul_field(value: Any, name: str) -> str | None:
    """The name of the first field (in a JSON document) whose key or text holds NUL."""
    if isinstance(value, str):
        return name if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = name if "\x00" in key else _nul_field(item, key)
            if found:
                return found
    if isinstance(value, list):
        for item in value:
            if found := _nul_field(item, name):
                return found
    return None


def refuse_nul() -> None:
    """PostgreSQL cannot compare text with NUL (a 500): answer 404/422 naming the field instead."""
    if "\x00" in request.path:
        raise NotFound("Die Adresse enthält ein Nullzeichen; so etwas gibt es hier nicht.", field="path")
    for source in (request.args, request.form):
        for key, value in source.items(multi=True):
            if "\x00" in key or "\x00" in value:
                _refuse(key)
    if request.is_json and (field := _nul_field(request.get_json(silent=True), "body")):
        _refuse(field)


def _refuse(field: str) -> None:
    name = field.replace("\x00", "")
    raise ValidationError(f"„{name}“ enthält ein Nullzeichen (NUL); das ist nicht erlaubt.", field=name)


def register(app: Flask) -> None:
    """Add the headers after each request (views may set stricter ones themselves); refuse NUL."""
    app.before_request(refuse_nul)

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in security_headers(app.config):
            response.headers.setdefault(name, value)
        return response
