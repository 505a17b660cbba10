"""NUL in any input is refused with 404/422 before it reaches the database (PostgreSQL: a 500)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/conflicts?person=Int%00B",
        "/api/v1/occurrences?from=2024-01-01&to=2024-02-01&gremium=a%00b",
        "/api/v1/persons?x%00=1",
        "/konflikte?person=%00",
        "/agenda/2024/05?person=IntB%00",
        "/feeds/person/IntB.ics?token=%00",
    ],
)
def test_nul_in_a_query_is_422_naming_the_field(demo_app: Any, path: str) -> None:
    response = demo_app.test_client().get(path)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    if path.startswith("/api/"):
        error = response.get_json()["error"]
        assert "\x00" not in error["field"] and "Nullzeichen" in error["message"]


@pytest.mark.parametrize("path", ["/api/v1/persons/Int%00B", "/api/v1/gremien/a%00b", "/feeds/person/%00.ics"])
def test_nul_in_the_path_is_404(demo_app: Any, path: str) -> None:
    assert demo_app.test_client().get(path).status_code == 404


def test_nul_in_a_json_body_or_form_is_422(demo_app: Any) -> None:
    client = demo_app.test_client()
    response = client.post("/api/v1/conflicts/check", json={"title": "x", "participants": ["Int\x00B"]})
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "participants"
    response = client.post("/api/v1/conflicts/check", data={"title": "a\x00"})
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "title"


def test_ordinary_requests_pass(demo_app: Any) -> None:
    assert demo_app.test_client().get("/api/v1/conflicts?person=IntB").status_code == 200
