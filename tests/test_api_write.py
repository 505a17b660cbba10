"""JSON API writes for series: Bearer tokens, If-Match versions, 409/422/428, audit, sequences."""

from __future__ import annotations

from typing import Any

from flask import Flask

from .editing_support import make_token, make_user

NEW = {
    "title": "Fachrunde Test",
    "dtstart": "2024-01-23T11:00",
    "duration_minutes": 60,
    "pattern": "monthly",
    "nth": 4,
    "location": "Raum 1.07",
}


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _editor(run_cli: Any, name: str = "erika", role: str = "editor") -> str:
    make_user(run_cli, name, role)
    return make_token(run_cli, name)


def test_writes_need_a_valid_token_of_an_editor(client: Any, run_cli: Any) -> None:
    anonymous = client.post("/api/v1/series", json=NEW)
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    bad = client.post("/api/v1/series", json=NEW, headers=_auth("falsch"))
    assert bad.status_code == 401 and bad.json["error"]["code"] == "unauthorized"
    viewer = _editor(run_cli, "vera", "viewer")
    assert client.post("/api/v1/series", json=NEW, headers=_auth(viewer)).status_code == 403
    token = _editor(run_cli)
    created = client.post("/api/v1/series", json=NEW, headers=_auth(token))
    assert created.status_code == 201, created.json
    assert created.json["rrule"] == "FREQ=MONTHLY;BYDAY=4TU" and created.headers["ETag"] == '"1"'
    assert created.headers["Location"].endswith(f"/api/v1/series/{created.json['id']}")


def test_validation_names_the_field(client: Any, run_cli: Any) -> None:
    token = _editor(run_cli)
    for patch, field in [
        ({"title": ""}, "title"),
        ({"dtstart": "morgen"}, "dtstart"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"pattern": "custom", "rrule": "FREQ=HOURLY"}, "rrule"),
        ({"pattern": "monthly", "nth": 7}, "nth"),
        ({"gremium": "gibt-es-nicht"}, "gremium"),
    ]:
        answer = client.post("/api/v1/series", json={**NEW, **patch}, headers=_auth(token))
        assert answer.status_code in (404, 422), (patch, answer.json)
        assert answer.json["error"]["field"] == field, patch
    assert client.get("/api/v1/series").json["series"] == []  # nothing half-written


def test_patch_needs_if_match_and_refuses_stale_versions(client: Any, run_cli: Any) -> None:
    token = _editor(run_cli)
    sid = client.post("/api/v1/series", json=NEW, headers=_auth(token)).json["id"]
    got = client.get(f"/api/v1/series/{sid}")
    assert got.headers["ETag"] == '"1"'
    assert client.patch(f"/api/v1/series/{sid}", json={"title": "x"}, headers=_auth(token)).status_code == 428
    first = client.patch(
        f"/api/v1/series/{sid}", json={"location": "Raum 2.14"}, headers=_auth(token, **{"If-Match": '"1"'})
    )
    assert first.status_code == 200 and first.json["sequence"] == 1 and first.headers["ETag"] == '"2"'
    stale = client.patch(f"/api/v1/series/{sid}", json={"title": "Alt"}, headers=_auth(token, **{"If-Match": '"1"'}))
    assert stale.status_code == 409
    error = stale.json["error"]
    assert error["code"] == "conflict" and error["current_version"] == 2
    assert error["changes"]["location"] == ["Raum 1.07", "Raum 2.14"]
    assert client.get(f"/api/v1/series/{sid}").json["title"] == "Fachrunde Test"


def test_occurrence_actions_bump_sequence_and_write_exdate_data(client: Any, run_cli: Any) -> None:
    token = _editor(run_cli)
    sid = client.post("/api/v1/series", json=NEW, headers=_auth(token)).json["id"]
    url = f"/api/v1/series/{sid}/exceptions"
    cancel = {"action": "cancel", "recurrence_id": "2024-02-27T11:00", "version": 1}
    answer = client.post(url, json=cancel, headers=_auth(token))
    assert answer.status_code == 200 and answer.json["sequence"] == 1
    assert answer.json["exceptions"][0]["cancelled"] is True
    wrong = client.post(url, json={**cancel, "recurrence_id": "2024-02-28T11:00", "version": 2}, headers=_auth(token))
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "recurrence_id"
    move = {"action": "move", "recurrence_id": "2024-03-26T11:00", "new_start": "2024-03-27T11:00"}
    moved = client.post(url, json=move, headers=_auth(token, **{"If-Match": '"2"'}))
    assert moved.status_code == 200 and moved.json["sequence"] == 2
    relocate = {"action": "relocate", "recurrence_id": "2024-04-23T11:00", "new_location": "Online"}
    assert client.post(url, json=relocate, headers=_auth(token, **{"If-Match": '"3"'})).status_code == 200
    extra = client.post(
        f"/api/v1/series/{sid}/extra-dates", json={"start": "2024-08-20T11:00", "version": 4}, headers=_auth(token)
    )
    assert extra.status_code == 201 and len(extra.json["extra_dates"]) == 1
    xid = extra.json["extra_dates"][0]["id"]
    gone = client.delete(f"/api/v1/series/{sid}/extra-dates/{xid}", headers=_auth(token, **{"If-Match": '"5"'}))
    assert gone.status_code == 204
    found = client.get("/api/v1/occurrences?from=2024-02-01&to=2024-05-01").json["occurrences"]
    assert [o["start"][:16] for o in found] == ["2024-03-27T11:00", "2024-04-23T11:00"]
    assert found[1]["location"] == "Online"
    audit = client.get(f"/api/v1/audit?object_type=series&object_id={sid}", headers=_auth(token)).json["entries"]
    assert [e["action"] for e in audit] == [
        "remove_extra_date",
        "add_extra_date",
        "relocate_occurrence",
        "move_occurrence",
        "cancel_occurrence",
        "create",
    ]
    assert audit[3]["changes"]["exceptions[2024-03-26T11:00:00].new_start"] == [None, "2024-03-27T11:00:00"]
    assert all(e["actor"] == "erika" for e in audit)


def test_delete_removes_the_series(client: Any, run_cli: Any) -> None:
    token = _editor(run_cli)
    sid = client.post("/api/v1/series", json=NEW, headers=_auth(token)).json["id"]
    assert client.delete(f"/api/v1/series/{sid}", headers=_auth(token)).status_code == 428
    assert client.delete(f"/api/v1/series/{sid}", headers=_auth(token, **{"If-Match": '"7"'})).status_code == 409
    assert client.delete(f"/api/v1/series/{sid}", headers=_auth(token, **{"If-Match": 'W/"1"'})).status_code == 204
    assert client.get(f"/api/v1/series/{sid}").status_code == 404
    entries = client.get(f"/api/v1/audit?object_type=series&object_id={sid}", headers=_auth(token)).json["entries"]
    assert entries[0]["action"] == "delete" and entries[0]["changes"]["title"] == ["Fachrunde Test", None]


def test_api_writes_need_no_csrf_but_form_cookies_do_not_authorise_them(app: Flask, client: Any, run_cli: Any) -> None:
    from .editing_support import login

    make_user(run_cli)
    login(client)
    assert client.post("/api/v1/series", json=NEW).status_code == 401  # a browser session is not an API token


def test_openapi_documents_writes_with_security(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json
    post = doc["paths"]["/api/v1/series"]["post"]
    assert post["security"] == [{"bearer": []}] and "requestBody" in post
    assert "409" in doc["paths"]["/api/v1/series/{id}"]["patch"]["responses"]
    assert "/api/v1/audit" in doc["paths"]


def test_feeds_follow_cancel_and_delete(demo_app: Flask, run_cli: Any) -> None:
    from datetime import date, timedelta

    from calsvc.db import session_scope
    from calsvc.schedule.engine import occurrences
    from calsvc.schedule.rrule import as_local_naive

    client = demo_app.test_client()
    slug = "jour-fixe-der-laf-unterkuenfte"
    assert client.get(f"/feeds/gremium/{slug}.ics").status_code == 200
    token = _editor(run_cli)
    with demo_app.app_context(), session_scope(demo_app) as s:
        nxt = occurrences(s, date.today(), date.today() + timedelta(days=130), gremium=slug)[0]
        rid, sid = as_local_naive(nxt.recurrence_id), nxt.source_id
    version = client.get(f"/api/v1/series/{sid}").json["version"]
    cancel = {"action": "cancel", "recurrence_id": rid.isoformat(), "version": version}
    assert client.post(f"/api/v1/series/{sid}/exceptions", json=cancel, headers=_auth(token)).status_code == 200
    feed = client.get(f"/feeds/gremium/{slug}.ics").get_data(as_text=True).replace("\r\n ", "")
    # a coming date stays visible until it has passed: "Abgesagt", at its slot, blocking nobody
    called_off = next(
        c for c in feed.split("BEGIN:VEVENT") if f"RECURRENCE-ID;TZID=Europe/Berlin:{rid:%Y%m%dT%H%M%S}" in c
    )
    assert "SUMMARY:Abgesagt: LAF-Jour fixe" in called_off and "STATUS:CANCELLED" in called_off
    etag = client.get(f"/api/v1/series/{sid}").headers["ETag"]
    assert client.delete(f"/api/v1/series/{sid}", headers=_auth(token, **{"If-Match": etag})).status_code == 204
    assert "LAF-Jour fixe" not in client.get(f"/feeds/gremium/{slug}.ics").get_data(as_text=True)
