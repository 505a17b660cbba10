"""JSON writes for activities, progress notes and the live Terminierung parser."""

from __future__ import annotations

from typing import Any

from .editing_support import make_token, make_user


def test_activity_lifecycle_with_progress(client: Any, run_cli: Any) -> None:
    make_user(run_cli)
    auth = {"Authorization": f"Bearer {make_token(run_cli)}"}
    client.post("/api/v1/persons", json={"code": "Int1"}, headers=auth)
    new = {
        "plan_year": 2024,
        "number": 3,
        "title": "Fachtag",
        "terminierung": "März/April 2024",
        "responsible": ["Int1"],
    }
    created = client.post("/api/v1/activities", json=new, headers=auth)
    assert created.status_code == 201, created.json
    aid = created.json["id"]
    assert [p["start"] for p in created.json["periods"]] == ["2024-03-01"]
    bad = client.patch(
        f"/api/v1/activities/{aid}", json={"terminierung": "irgendwann"}, headers={**auth, "If-Match": '"1"'}
    )
    assert bad.status_code == 422 and bad.json["error"]["field"] == "terminierung"
    moved = client.patch(
        f"/api/v1/activities/{aid}", json={"terminierung": "III. Quartal 2024"}, headers={**auth, "If-Match": '"1"'}
    )
    assert moved.status_code == 200 and moved.json["sequence"] == 1
    assert moved.json["periods"][0]["start"] == "2024-07-01"
    note = client.post(
        f"/api/v1/activities/{aid}/progress",
        json={"status": "verschoben", "note": "Saal fehlt", "day": "2024-06-30", "version": 2},
        headers=auth,
    )
    assert note.status_code == 201 and note.json["status"] == "verschoben" and note.json["sequence"] == 2
    audit = client.get(f"/api/v1/audit?object_type=activity&object_id={aid}", headers=auth).json["entries"]
    assert [e["action"] for e in audit] == ["progress", "update", "create"]
    assert audit[1]["changes"]["terminierung"] == ["März/April 2024", "III. Quartal 2024"]
    assert client.delete(f"/api/v1/activities/{aid}", headers={**auth, "If-Match": '"3"'}).status_code == 204


def test_live_parse_endpoint(client: Any) -> None:
    ok = client.get("/api/v1/terminierung/parse?text=II.+Quartal+2024&year=2024")
    assert ok.status_code == 200 and ok.json["periods"][0]["end"] == "2024-06-30" and ok.json["label"]
    bad = client.get("/api/v1/terminierung/parse?text=im+Quatal+3&year=2024")
    assert bad.status_code == 422 and bad.json["error"]["field"] == "terminierung" and bad.json["error"]["part"]
    assert client.get("/api/v1/terminierung/parse?text=&year=2024").status_code == 422
