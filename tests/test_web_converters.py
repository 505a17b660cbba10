"""Route ids beyond the database's INTEGER range are a 404, not a 500."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_a_too_large_id_is_not_found(client: Any, number: int) -> None:
    for path in (f"/api/v1/series/{number}", f"/api/v1/activities/{number}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"


def test_the_largest_id_still_reaches_the_view(client: Any) -> None:
    response = client.get(f"/api/v1/series/{2**31 - 1}")
    assert response.status_code == 404
    assert "Terminserie" in response.get_json()["error"]["message"]


def test_other_methods_on_a_too_large_id_are_404_not_405(client: Any) -> None:
    for method in ("delete", "patch"):
        response = getattr(client, method)(f"/api/v1/series/{2**40}")
        assert response.status_code in (401, 404), (method, response.status_code)
