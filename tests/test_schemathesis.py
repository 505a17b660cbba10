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
from schemathesis import checks  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [checks.not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def documented_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the API's OpenAPI document."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    return [(method.upper(), path) for path, item in document["paths"].items() for method in item]


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
