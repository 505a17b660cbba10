"""The conflict adapter: only conflicts a change adds, never the meeting's clash with its old self."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.editing.conflict_check import new_conflicts, occurrence_proposal, series_proposal
from calsvc.models import MeetingSeries

from .editing_support import make_token, make_user


def _series(s: Any, title: str) -> MeetingSeries:
    found = s.scalar(select(MeetingSeries).where(MeetingSeries.title == title))
    assert found is not None
    return found


def test_unchanged_series_adds_no_conflicts_but_a_clash_does(demo_app: Flask) -> None:
    with demo_app.app_context(), session_scope(demo_app) as s:
        fachrunde = _series(s, "Fachrunde Migrationssozialdienst")  # overlaps the Dienstberatung sometimes, on purpose
        same = series_proposal(fachrunde)
        assert new_conflicts(s, fachrunde.id, same, same) == []
        laf = _series(s, "LAF-Jour fixe")
        before = occurrence_proposal(laf, laf.dtstart, laf.duration_minutes, laf.location)
        onto_db = occurrence_proposal(laf, laf.dtstart.replace(day=9, hour=10), 120, laf.location)  # Tue 09.01. 10:00
        found = new_conflicts(s, laf.id, before, onto_db)
        assert found and all(text.startswith("09.01.2024") for text in found)
        assert any("Int1" in text for text in found)


def test_api_refuses_unconfirmed_conflicts_and_records_confirmed_ones(demo_app: Flask, run_cli: Any) -> None:
    make_user(run_cli)
    auth = {"Authorization": f"Bearer {make_token(run_cli)}"}
    client = demo_app.test_client()
    laf = next(x for x in client.get("/api/v1/series").json["series"] if x["title"] == "LAF-Jour fixe")
    move = {
        "action": "move",
        "recurrence_id": "2024-01-11T14:00",
        "new_start": "2024-01-09T10:00",
        "version": laf["version"],
    }
    refused = client.post(f"/api/v1/series/{laf['id']}/exceptions", json=move, headers=auth)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "meeting_conflicts"
    assert refused.json["error"]["conflicts"]
    assert client.get(f"/api/v1/series/{laf['id']}").json["version"] == laf["version"]
    saved = client.post(
        f"/api/v1/series/{laf['id']}/exceptions", json={**move, "confirm_conflicts": True}, headers=auth
    )
    assert saved.status_code == 200 and saved.json["confirmed_conflicts"]
    entry = client.get(f"/api/v1/audit?object_type=series&object_id={laf['id']}", headers=auth).json["entries"][0]
    assert "trotz" in entry["summary"] and entry["changes"]["conflicts_confirmed"][1]
