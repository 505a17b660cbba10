"""schemathesis against /api/v1/openapi.json, in-process on the demo: no 5xx, answers as documented.

One test per documented operation (read from the document itself, so new endpoints are
fuzzed without touching this file). Budget: ``CALSVC_FUZZ_EXAMPLES`` (``tests/fuzz_support.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from hypothesis import given

from calsvc import create_app

from .fuzz_support import fuzz_settings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install '.[dev]')")
from schemathesis import GenerationMode, checks  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [checks.not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _document() -> dict[str, Any]:
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    document: dict[str, Any] = app.test_client().get("/api/v1/openapi.json").get_json()
    return document


def documented_operations(*, negatable: bool = False) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the API's OpenAPI document.

    ``negatable``: only those a request can violate (a body, or a parameter that is not free
    text); for the others every request fits the schema and negative generation is impossible.
    """

    def can_break(operation: dict[str, Any]) -> bool:
        schemas = [p.get("schema", {}) for p in operation.get("parameters", [])]
        return "requestBody" in operation or any(s.get("type") != "string" or "format" in s for s in schemas)

    return [
        (method.upper(), path)
        for path, item in _document()["paths"].items()
        for method, operation in item.items()
        if not negatable or can_break(operation)
    ]


@pytest.mark.parametrize(("method", "path"), documented_operations())
def test_api_answers_every_generated_request_as_documented(demo_app: Flask, method: str, path: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)
    operation = schema[path][method]

    @fuzz_settings(0.5)
    @given(operation.as_strategy())
    def call(case: Any) -> None:
        response = case.call()
        case.validate_response(response, checks=CHECKS)

    call()


@pytest.mark.parametrize(("method", "path"), documented_operations(negatable=True))
def test_api_answers_malformed_requests_without_a_server_error(demo_app: Flask, method: str, path: str) -> None:
    """Requests that break the schema (wrong types, missing or extra parts) get 4xx, never 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)
    operation = schema[path][method]

    @fuzz_settings(0.25)
    @given(operation.as_strategy(GenerationMode.NEGATIVE))
    def call(case: Any) -> None:
        response = case.call()
        case.validate_response(response, checks=[checks.not_a_server_error])

    call()
