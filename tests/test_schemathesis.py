"""schemathesis against /api/v1/openapi.json, in-process on the demo: no 5xx, answers as documented.

One test per documented operation (read from the document itself, so new endpoints are
fuzzed without touching this file). Budget: ``CALSVC_FUZZ_EXAMPLES`` (``tests/fuzz_support.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from flask import Flask
from hypothesis import example, given
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from calsvc import create_app
from calsvc.db import session_scope
from calsvc.models import Activity, Gremium, MeetingSeries, Person

from .editing_support import make_token, make_user
from .fuzz_support import NASTY, TERMINIERUNGEN, fuzz_settings

CHECKS = [checks.not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
WRITE_CHECKS = [checks.not_a_server_error, status_code_conformance]
WRITES = ("POST", "PATCH", "DELETE")


def _document() -> dict[str, Any]:
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    document: dict[str, Any] = app.test_client().get("/api/v1/openapi.json").get_json()
    return document


def documented_operations(*, negatable: bool = False, writes: bool | None = None) -> list[tuple[str, str]]:
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
        if (not negatable or can_break(operation)) and (writes is None or (method.upper() in WRITES) == writes)
    ]


@pytest.mark.parametrize(("method", "path"), documented_operations(writes=False))
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


def same(read: dict[str, Any], written: dict[str, Any]) -> bool:
    """What GET returns equals what the write answered (lists of codes in any order)."""

    def norm(value: Any) -> Any:
        return sorted(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value

    return {k: norm(read.get(k)) for k in written} == {k: norm(v) for k, v in written.items()}


@pytest.fixture
def writer_token(demo_app: Flask, run_cli: Any) -> str:
    """An API token of an editor on the demo."""
    make_user(run_cli, "erika", "editor")
    return make_token(run_cli, "erika")


def readable_urls(app: Flask) -> list[str]:
    """The GET address of every series, person, Gremium and activity in the database."""
    with app.app_context(), session_scope(app) as s:
        return [
            *(f"/api/v1/series/{i}" for i in s.scalars(select(MeetingSeries.id))),
            *(f"/api/v1/activities/{i}" for i in s.scalars(select(Activity.id))),
            *(f"/api/v1/persons/{quote(c, safe='')}" for c in s.scalars(select(Person.code))),
            *(f"/api/v1/gremien/{quote(g, safe='')}" for g in s.scalars(select(Gremium.slug))),
        ]


def real_targets(app: Flask) -> dict[str, Any]:
    """Path parameters naming existing demo objects (so writes can succeed, not only 404)."""
    with app.app_context(), session_scope(app) as s:
        series = s.scalars(select(MeetingSeries).where(MeetingSeries.extra_dates.any())).first()
        assert series is not None
        return {
            "id": series.id,
            "extra_id": series.extra_dates[0].id,
            "activity_id": s.scalar(select(Activity.id)),
            "code": "Int1",
            "slug": "fachrunde-migrationssozialdienst",
        }


def target(path: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The object a write path changes (``/series/{id}/exceptions`` → ``/series/7``), its parameters."""
    wanted = {k: params["activity_id"] if k == "id" and "/activities/" in path else params[k] for k in params}
    used = {k: v for k, v in wanted.items() if "{" + k + "}" in path}
    parts = path.split("/")
    obj = "/".join(parts[:5])
    return obj.format(**used), used


@pytest.mark.parametrize(("method", "path"), documented_operations(writes=True))
def test_api_writes_answer_as_documented_and_every_written_row_reads_back(
    demo_app: Flask, writer_token: str, method: str, path: str
) -> None:
    """With an editor's token: no 5xx; each successful write reads back via GET; every row stays readable.

    Half the requests aim at existing demo objects with their current If-Match version, so
    PATCH/DELETE and sub-resource writes succeed too, not only fail with 404/422.
    """
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)
    operation = schema[path][method]
    client = demo_app.test_client()
    auth = {"Authorization": f"Bearer {writer_token}"}
    obj_url, real = target(path, real_targets(demo_app))
    aimed = operation.as_strategy(path_parameters=real) if real else operation.as_strategy()

    @fuzz_settings(0.5)
    @given(st.one_of(operation.as_strategy(), aimed), st.booleans())
    def call(case: Any, current_version: bool) -> None:
        headers = dict(auth)
        if current_version and real and case.path_parameters == real:
            current = client.get(obj_url)
            if current.status_code == 200:
                headers["If-Match"] = f'"{current.get_json()["version"]}"'
        response = case.call(headers=headers)
        case.validate_response(response, checks=WRITE_CHECKS, headers=headers)
        if response.status_code in (200, 201) and method in ("POST", "PATCH") and "version" in response.json():
            answer = response.json()
            location = response.headers.get("location", [None])[0] or obj_url
            if obj_url.startswith(("/api/v1/persons/", "/api/v1/gremien/")) and method == "PATCH":
                key = "code" if obj_url.startswith("/api/v1/persons/") else "slug"  # a PATCH may rename it
                location = obj_url.rsplit("/", 1)[0] + "/" + quote(answer[key], safe="")
            got = client.get(location)
            assert got.status_code == 200, (location, got.get_data(as_text=True)[:300])
            written = {k: v for k, v in answer.items() if k not in ("confirmed_conflicts", "sequence")}
            assert same(got.get_json(), written), location

    call()
    for url in readable_urls(demo_app):
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])


# Mostly valid bodies with hostile text, so creations succeed often (schemathesis' random
# strings rarely form a date-time, a readable Terminierung or a valid If-Match).
_TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(NASTY), max_size=8).map("".join),
    st.integers(100, 400).map(lambda n: "ü" * n),  # around the columns' limits (PostgreSQL enforces them)
)
_CODE = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,10}", fullmatch=True)
_MOMENT = st.datetimes(datetime(1990, 1, 1), datetime(2100, 12, 31)).map(lambda d: f"{d:%Y-%m-%dT%H:%M}")
_DAY = st.dates(date(1990, 1, 1), date(2100, 12, 31)).map(date.isoformat)
CREATE_BODIES: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "/api/v1/persons": st.fixed_dictionaries(
        {"code": _CODE},
        optional={"title": _TEXT, "name": _TEXT, "email": _TEXT, "vacant": st.booleans(), "notes": _TEXT,
                  "vacant_from": _DAY, "vacant_until": _DAY, "is_external": st.booleans()},
    ),
    "/api/v1/gremien": st.fixed_dictionaries(
        {"name": _TEXT},
        optional={"slug": st.one_of(_CODE.map(str.lower), _TEXT), "level": st.sampled_from(["bezirklich", "überbezirklich"]),
                  "parent": st.sampled_from(["", "dienstberatung-integration", "gibt-es-nicht"]), "description": _TEXT},
    ),
    "/api/v1/series": st.fixed_dictionaries(
        {"title": _TEXT, "dtstart": _MOMENT, "duration_minutes": st.integers(-10, 2000)},
        optional={
            "gremium": st.sampled_from(["dienstberatung-integration", "fachrunde-migrationssozialdienst", "x"]),
            "location": _TEXT, "description": _TEXT, "status": st.sampled_from(["confirmed", "tentative", "cancelled"]),
            "pattern": st.sampled_from(["once", "weekly", "biweekly", "monthly", "bimonthly", "custom"]),
            "nth": st.sampled_from([1, 2, 3, 4, -1]), "skip_summer": st.booleans(), "until": _DAY,
            "count": st.integers(-1, 500), "confirm_conflicts": st.just(True),
            "rrule": st.one_of(_TEXT, st.sampled_from(["FREQ=WEEKLY", "FREQ=DAILY;COUNT=3", "FREQ=MONTHLY;BYDAY=2TH",
                                                       "FREQ=YEARLY;UNTIL=20991231T000000", "FREQ=SECONDLY"])),
        },
    ),
    "/api/v1/activities": st.fixed_dictionaries(
        {"plan_year": st.integers(1980, 2110), "number": st.integers(-1, 2000), "title": _TEXT,
         "terminierung": st.one_of(st.sampled_from(TERMINIERUNGEN), _TEXT)},
        optional={"responsible": st.lists(st.sampled_from(["IntB", "Int1", "Int2", "SozL", "XX"]), max_size=3),
                  "status": st.sampled_from(["geplant", "in Arbeit", "erledigt", "verschoben", "entfallen"])},
    ),
}  # fmt: skip


# One body per path that must be created: the random ones (hostile text, control characters,
# unknown codes) may all be refused in a short run, and a fuzzer that never succeeds tests nothing.
KNOWN_GOOD: dict[str, dict[str, Any]] = {
    "/api/v1/persons": {"code": "Fuzz1", "title": "Probe"},
    "/api/v1/gremien": {"name": "Fuzz-Gremium"},
    "/api/v1/series": {
        "title": "Fuzz",
        "dtstart": "2024-03-05T10:00",
        "duration_minutes": 60,
        "confirm_conflicts": True,
    },
    "/api/v1/activities": {"plan_year": 2024, "number": 1999, "title": "Fuzz", "terminierung": "II. Quartal 2024"},
}


@pytest.mark.parametrize("path", list(CREATE_BODIES))
def test_every_row_the_api_creates_reads_back(demo_app: Flask, writer_token: str, path: str) -> None:
    """Creations with hostile text: 201 or 4xx; each 201 reads back equal; every row stays readable."""
    client = demo_app.test_client()
    auth = {"Authorization": f"Bearer {writer_token}"}
    statuses: list[int] = []

    @fuzz_settings()
    @given(CREATE_BODIES[path])
    @example(KNOWN_GOOD[path])
    def create(data: dict[str, Any]) -> None:
        response = client.post(path, json=data, headers=auth)
        statuses.append(response.status_code)
        assert response.status_code in (201, 404, 409, 422), (data, response.get_data(as_text=True)[:300])
        if response.status_code != 201:
            assert response.get_json()["error"]["message"]
            return
        written = {k: v for k, v in response.get_json().items() if k not in ("confirmed_conflicts", "sequence")}
        got = client.get(response.headers["Location"])
        assert got.status_code == 200, (response.headers["Location"], got.get_data(as_text=True)[:300])
        assert same(got.get_json(), written)

    create()
    assert 201 in statuses, f"no creation succeeded: {sorted(set(statuses))}"
    for url in readable_urls(demo_app):
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
