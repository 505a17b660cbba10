"""Every input is honoured or refused: ends of rules, details that do not fit the pattern,
parent chains, control characters and times that do not exist (regressions of the budget issue).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from .editing_support import make_token, make_user

NEW = {"title": "Runde", "dtstart": "2024-03-05T10:00", "duration_minutes": 60, "location": "Raum 1"}


@pytest.fixture
def api(app: Flask, run_cli: Any) -> Any:
    make_user(run_cli)
    token = make_token(run_cli)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def _create(api: Any, **fields: Any) -> Any:
    return api.post("/api/v1/series", json={**NEW, "confirm_conflicts": True, **fields})


@pytest.mark.parametrize(
    ("fields", "stored"),
    [
        ({"rrule": "FREQ=WEEKLY", "until": "2024-06-30"}, "FREQ=WEEKLY;UNTIL=20240630"),  # finding 4
        ({"rrule": "FREQ=WEEKLY", "count": 5}, "FREQ=WEEKLY;COUNT=5"),  # finding 4
        ({"pattern": "custom", "rrule": "FREQ=WEEKLY", "until": "2024-06-30"}, "FREQ=WEEKLY;UNTIL=20240630"),
        ({"pattern": "custom", "rrule": "FREQ=WEEKLY;COUNT=5", "count": 5}, "FREQ=WEEKLY;COUNT=5"),  # same end
        ({"pattern": "weekly", "count": 3}, "FREQ=WEEKLY;BYDAY=TU;COUNT=3"),
    ],
)
def test_an_end_given_with_any_rule_form_is_kept(api: Any, fields: dict[str, Any], stored: str) -> None:
    created = _create(api, **fields)
    assert created.status_code == 201, created.json
    assert created.json["rrule"] == stored


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pattern": "custom", "rrule": "FREQ=WEEKLY;COUNT=5", "count": 7}, "count"),  # contradicts the rule
        ({"pattern": "custom", "rrule": "FREQ=WEEKLY;UNTIL=20240630", "until": "2024-07-31"}, "until"),
        ({"pattern": "once", "rrule": "FREQ=WEEKLY"}, "rrule"),  # a rule typed while "einmalig" is chosen
        ({"pattern": "once", "until": "2024-06-30"}, "until"),
        ({"pattern": "weekly", "nth": 2}, "nth"),
        ({"pattern": "custom", "rrule": "FREQ=WEEKLY", "skip_summer": True}, "skip_summer"),
        ({"until": "2024-06-30"}, "until"),  # an end for a single date
        ({"rrule": "FREQ=WEEKLY", "nth": 1}, "nth"),
        ({"rrule": "FREQ=WEEKLY", "until": "2024-06-30", "count": 3}, "count"),
    ],
)
def test_a_detail_that_does_not_fit_is_refused_naming_it(api: Any, fields: dict[str, Any], field: str) -> None:
    refused = _create(api, **fields)
    assert refused.status_code == 422 and refused.json["error"]["field"] == field, refused.json
    assert api.get("/api/v1/series").json["series"] == []


def test_a_new_end_replaces_the_old_one_in_a_patch(api: Any) -> None:
    created = _create(api, rrule="FREQ=WEEKLY;COUNT=10").json
    etag = {"If-Match": f'"{created["version"]}"'}
    patched = api.patch(f"/api/v1/series/{created['id']}", json={"until": "2024-04-30"}, headers=etag)
    assert patched.status_code == 200 and patched.json["rrule"] == "FREQ=WEEKLY;UNTIL=20240430"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("dtstart", "2027-03-28T02:30", "Nächste gültige Zeit: 03:00"),  # finding 2
        ("dtstart", "2026-10-25T02:15", "zweimal"),
    ],
)
def test_times_that_do_not_exist_are_refused_with_the_nearest_valid_one(
    api: Any, field: str, value: str, fragment: str
) -> None:
    refused = _create(api, **{field: value})
    assert refused.status_code == 422 and refused.json["error"]["field"] == field
    assert fragment in refused.json["error"]["message"]


def test_a_moved_or_extra_date_at_a_missing_time_is_refused(api: Any) -> None:
    created = _create(api, rrule="FREQ=WEEKLY").json
    version = {"If-Match": f'"{created["version"]}"'}
    extra = api.post(f"/api/v1/series/{created['id']}/extra-dates", json={"start": "2025-03-30T02:10"}, headers=version)
    assert extra.status_code == 422 and extra.json["error"]["field"] == "start"
    move = {"action": "move", "recurrence_id": "2024-03-12T10:00", "new_start": "2025-03-30T02:10"}
    moved = api.post(f"/api/v1/series/{created['id']}/exceptions", json=move, headers=version)
    assert moved.status_code == 422 and moved.json["error"]["field"] == "new_start"


@pytest.mark.parametrize("text", ["Runde\x00", "Runde\x07neu", "Runde\x1b[31m"])
def test_control_characters_are_refused_at_save(api: Any, text: str) -> None:
    """Finding 12: control characters in a title made the DOCX report answer 500."""
    refused = _create(api, title=text)
    assert refused.status_code == 422 and refused.json["error"]["field"] == "title"
    assert any(word in refused.json["error"]["message"] for word in ("Steuerzeichen", "Nullzeichen"))
    kept = _create(api, description="Zeile 1\r\nZeile 2\tmit Tab")
    assert kept.status_code == 201 and kept.json["description"] == "Zeile 1\nZeile 2\tmit Tab"


def test_parent_chains_cannot_loop_at_any_depth(api: Any) -> None:
    """Finding 5: a loop of three Gremien was accepted."""
    for slug in ("a", "b", "c"):
        assert api.post("/api/v1/gremien", json={"name": slug.upper(), "slug": slug}).status_code == 201
    for child, parent in (("b", "a"), ("c", "b")):
        version = api.get(f"/api/v1/gremien/{child}").headers["ETag"]
        linked = api.patch(f"/api/v1/gremien/{child}", json={"parent": parent}, headers={"If-Match": version})
        assert linked.status_code == 200, linked.json
    version = api.get("/api/v1/gremien/a").headers["ETag"]
    looped = api.patch("/api/v1/gremien/a", json={"parent": "c"}, headers={"If-Match": version})
    assert looped.status_code == 422 and looped.json["error"]["field"] == "parent"
    assert api.get("/api/v1/gremien/a").json["parent"] is None
