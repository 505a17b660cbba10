"""JSON writes for persons and Gremien (members), with versions and the audit trail."""

from __future__ import annotations

from typing import Any

from .editing_support import make_token, make_user


def _token(run_cli: Any) -> dict[str, str]:
    make_user(run_cli)
    return {"Authorization": f"Bearer {make_token(run_cli)}"}


def test_person_lifecycle(client: Any, run_cli: Any) -> None:
    auth = _token(run_cli)
    created = client.post(
        "/api/v1/persons", json={"code": "Int2", "title": "Integrationsbeauftragte", "vacant": True}, headers=auth
    )
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    dup = client.post("/api/v1/persons", json={"code": "Int2"}, headers=auth)
    assert dup.status_code == 422 and dup.json["error"]["field"] == "code"
    bad = client.patch("/api/v1/persons/Int2", json={"vacant_from": "2024-13-01"}, headers={**auth, "If-Match": '"1"'})
    assert bad.status_code == 422 and bad.json["error"]["field"] == "vacant_from"
    ok = client.patch("/api/v1/persons/Int2", json={"vacant_from": "01.03.2024"}, headers={**auth, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json["vacant_from"] == "2024-03-01"
    assert client.get("/api/v1/persons/Int2").headers["ETag"] == '"2"'
    audit = client.get("/api/v1/audit?object_type=person&object_id=Int2", headers=auth).json["entries"]
    assert audit[0]["changes"]["vacant_from"] == [None, "2024-03-01"]
    assert client.delete("/api/v1/persons/Int2", headers={**auth, "If-Match": '"2"'}).status_code == 204
    assert client.get("/api/v1/persons/Int2").status_code == 404


def test_gremium_members_bump_the_meetings_sequence(client: Any, run_cli: Any) -> None:
    auth = _token(run_cli)
    for code in ("IntB", "Int1"):
        client.post("/api/v1/persons", json={"code": code}, headers=auth)
    made = client.post("/api/v1/gremien", json={"name": "Fachrunde Migrationssozialdienst"}, headers=auth)
    assert made.status_code == 201 and made.json["slug"] == "fachrunde-migrationssozialdienst"
    slug = made.json["slug"]
    series = client.post(
        "/api/v1/series",
        json={"gremium": slug, "title": "Fachrunde", "dtstart": "2024-01-23T11:00", "duration_minutes": 60},
        headers=auth,
    ).json
    members = f"/api/v1/gremien/{slug}/members"
    lead = client.post(members, json={"person": "IntB", "role": "lead", "version": 1}, headers=auth)
    assert lead.status_code == 200 and lead.json["members"] == [{"person": "IntB", "role": "lead"}]
    assert lead.headers["ETag"] == '"2"'
    stale = client.post(members, json={"person": "Int1", "version": 1}, headers=auth)
    assert stale.status_code == 409 and "members" in stale.json["error"]["changes"]
    assert client.get(f"/api/v1/series/{series['id']}").json["sequence"] > series["sequence"]
    assert client.delete(f"/api/v1/gremien/{slug}", headers={**auth, "If-Match": '"2"'}).status_code == 422
    gone = client.delete(f"{members}/IntB", headers={**auth, "If-Match": '"2"'})
    assert gone.status_code == 200 and gone.json["members"] == []


def test_unauthenticated_person_write_is_refused(client: Any) -> None:
    answer = client.post("/api/v1/persons", json={"code": "X"})
    assert answer.status_code == 401 and answer.json["error"]["field"] == "Authorization"
