"""HTTP: /api/v1/conflicts, the read-only proposal check and /api/v1/free-slots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from calsvc.db import current_data_version, session_scope

YEAR = {"from": "2024-01-01", "to": "2025-01-01"}
CLASH = {"title": "Trägergespräch", "start": "2024-05-14T10:30", "duration": 60, "participants": ["IntB"]}


@pytest.fixture
def api(demo_app: Flask) -> Any:
    return demo_app.test_client()


def test_list_conflicts_of_2024(api: Any) -> None:
    body = api.get("/api/v1/conflicts", query_string=YEAR).get_json()
    assert body["count"] == len(body["conflicts"]) == sum(body["by_kind"].values())
    assert set(body["by_kind"]) == {"overlap", "holiday", "vacancy", "lead_missing"}
    first = next(c for c in body["conflicts"] if c["kind"] == "overlap")
    assert first["day"] == "2024-01-23" and first["person"] == "IntB"
    assert first["agenda"] == "/agenda/2024/01#tag-2024-01-23"
    assert [o["title"] for o in first["occurrences"]] == [
        "Dienstberatung Integration",
        "Fachrunde Migrationssozialdienst",
    ]
    assert any(c["kind"] == "holiday" and c["day"] == "2024-05-01" for c in body["conflicts"])


def test_filters_by_person_and_gremium(api: Any) -> None:
    gremium = api.get("/api/v1/conflicts", query_string={**YEAR, "gremium": "fachrunde-migrationssozialdienst"})
    kinds = {c["kind"] for c in gremium.get_json()["conflicts"]}
    assert kinds == {"overlap", "lead_missing"}
    person = api.get("/api/v1/conflicts", query_string={**YEAR, "person": "Int2"}).get_json()
    assert person["count"] and all(c["person"] in ("Int2", None) for c in person["conflicts"])


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({**YEAR, "person": "Nobody"}, 404, "person"),
        ({**YEAR, "gremium": "nope"}, 404, "gremium"),
        ({"from": "2024-02-30"}, 422, "from"),
        ({"from": "2024-01-01", "to": "2030-01-01"}, 422, "to"),
        ({"from": "2024-02-01", "to": "2024-01-01"}, 422, "to"),
    ],
)
def test_list_conflicts_errors_name_the_field(api: Any, query: dict[str, str], status: int, field: str) -> None:
    response = api.get("/api/v1/conflicts", query_string=query)
    assert response.status_code == status
    assert response.get_json()["error"]["field"] == field


def test_check_rejects_a_clash_with_the_dienstberatung_and_saves_nothing(demo_app: Flask, api: Any) -> None:
    with demo_app.app_context(), session_scope(demo_app) as s:
        before = current_data_version(s)
    response = api.post("/api/v1/conflicts/check", json=CLASH)  # no login: a read-only check
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is False and body["count"] == 1 and body["conflict_count"] >= 1
    (proposed,) = body["occurrences"]
    assert datetime.fromisoformat(proposed["start"]).isoformat() == "2024-05-14T10:30:00+02:00"
    overlap = next(c for c in proposed["conflicts"] if c["kind"] == "overlap")
    assert "Dienstberatung Integration" in overlap["message"] and overlap["agenda"].endswith("#tag-2024-05-14")
    with demo_app.app_context(), session_scope(demo_app) as s:
        assert current_data_version(s) == before


def test_check_accepts_a_free_time(api: Any) -> None:
    body = api.post("/api/v1/conflicts/check", json={**CLASH, "start": "2024-05-15T08:00"}).get_json()
    assert body["ok"] is True and body["occurrences"][0]["conflicts"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rrule": "FREQ=SECONDLY"}, "rrule"),
        ({"participants": ["Nobody"]}, "participants"),
        ({"duration": None, "end": "2024-05-14T09:00"}, "end"),
        ({"rrule": "FREQ=DAILY", "window_end": "2031-01-01"}, "window_end"),
        ({"start": "2150-01-01T10:00"}, "start"),
    ],
)
def test_check_answers_422_naming_the_field(api: Any, change: dict[str, Any], field: str) -> None:
    response = api.post("/api/v1/conflicts/check", json={**CLASH, **change})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_check_needs_a_json_object(api: Any) -> None:
    for response in (
        api.post("/api/v1/conflicts/check", data="start=heute", content_type="text/plain"),
        api.post("/api/v1/conflicts/check", json=["IntB"]),
    ):
        assert response.status_code == 422 and response.get_json()["error"]["field"] == "body"


def test_free_slots_for_intb_and_int1(api: Any) -> None:
    query = {"persons": "IntB,Int1", "duration": "90", "from": "2024-05-14", "to": "2024-05-16", "limit": "50"}
    body = api.get("/api/v1/free-slots", query_string=query).get_json()
    starts = [datetime.fromisoformat(s["start"]) for s in body["slots"]]
    assert starts == sorted(starts) and len(starts) <= 50
    assert starts[0].isoformat() == "2024-05-14T08:00:00+02:00"
    assert not [s for s in starts if s.date().day == 14 and 8 * 60 + 30 < s.hour * 60 + s.minute < 11 * 60 + 30]
    assert len(api.get("/api/v1/free-slots", query_string={**query, "limit": "3"}).get_json()["slots"]) == 3


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"duration": "60"}, 422, "persons"),
        ({"persons": "IntB"}, 422, "duration"),
        ({"persons": "IntB", "duration": "0"}, 422, "duration"),
        ({"persons": "IntB", "duration": "60", "limit": "x"}, 422, "limit"),
        ({"persons": "IntB,Nobody", "duration": "60"}, 404, "persons"),
    ],
)
def test_free_slots_errors(api: Any, query: dict[str, str], status: int, field: str) -> None:
    response = api.get("/api/v1/free-slots", query_string=query)
    assert response.status_code == status and response.get_json()["error"]["field"] == field


def test_openapi_documents_the_three_endpoints(api: Any) -> None:
    doc = api.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/conflicts", "/api/v1/conflicts/check", "/api/v1/free-slots"} <= set(doc["paths"])
    body = doc["paths"]["/api/v1/conflicts/check"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ProposalInput"}
    assert "start" in doc["components"]["schemas"]["ProposalInput"]["required"]
    kinds = doc["components"]["schemas"]["Conflict"]["properties"]["kind"]["enum"]
    assert {"lead_missing", "absence", "busy"} <= set(kinds)


def test_severity_filter(api: Any) -> None:
    body = api.get("/api/v1/conflicts", query_string={**YEAR, "severity": "warning"}).get_json()
    assert body["count"] and "vacancy" not in body["by_kind"]
    bad = api.get("/api/v1/conflicts", query_string={**YEAR, "severity": "egal"})
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "severity"
