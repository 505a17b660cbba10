"""Deleting asks first and can be undone from the change history, with exceptions, extra dates and people."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from .editing_support import csrf_from, login, make_token, make_user
from .test_participants import WEEKLY, _feed_dates, _people


def _auth(token: str, version: int | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    return headers if version is None else {**headers, "If-Match": f'"{version}"'}


def _rich_series(app: Flask, client: Any, run_cli: Any) -> tuple[str, dict[str, Any]]:
    """The Dienstberatung with a guest, a moved date, an extra date and Int2 on one date."""
    _people(app)
    make_user(run_cli)
    token = make_token(run_cli)
    sid = client.post("/api/v1/series", json=WEEKLY, headers=_auth(token)).json["id"]
    steps = [
        ("PATCH", f"/api/v1/series/{sid}", {"guests": "Anna Gast; anna@example.org; Verein"}),
        ("POST", f"/api/v1/series/{sid}/exceptions", {"action": "move", "recurrence_id": "2027-03-09T10:00", "new_start": "2027-03-10T10:00"}),
        ("POST", f"/api/v1/series/{sid}/extra-dates", {"start": "2027-04-20T10:00"}),
        ("POST", f"/api/v1/series/{sid}/attendance", {"recurrence_id": "2027-03-16T10:00", "action": "add", "person": "Int2"}),
        ("POST", f"/api/v1/series/{sid}/attendance", {"recurrence_id": "2027-03-16T10:00", "action": "remove", "guest": 1}),
    ]  # fmt: skip
    for version, (method, url, data) in enumerate(steps, start=1):
        answer = client.open(url, method=method, json=data, headers=_auth(token, version))
        assert answer.status_code in (200, 201), (url, answer.json)
    return token, client.get(f"/api/v1/series/{sid}", headers=_auth(token)).json


def _comparable(series: dict[str, Any]) -> dict[str, Any]:
    keep = {k: v for k, v in series.items() if k not in ("version", "sequence", "extra_dates", "guests", "attendance")}
    keep["extra_dates"] = [{k: v for k, v in x.items() if k != "id"} for x in series["extra_dates"]]
    keep["guests"] = [{k: v for k, v in g.items() if k != "id"} for g in series["guests"]]
    keep["attendance"] = [{k: v for k, v in a.items() if k not in ("id", "guest")} for a in series["attendance"]]
    return keep


def test_delete_asks_first_then_restores_everything_from_the_history(app: Flask, client: Any, run_cli: Any) -> None:
    token, before = _rich_series(app, client, run_cli)
    sid = before["id"]
    login(client)
    ask = client.get(f"/bearbeiten/serien/{sid}/loeschen").get_data(as_text=True)
    assert "7 künftige Termine entfallen (der nächste am Di, 02.03.2027, 10:00)" in ask
    assert "persönlicher Kalender von Int1" in ask and "persönlicher Kalender von Int2" in ask
    assert "/feeds/gremium/dienstberatung.ics" in ask and "/feeds/all.ics" in ask
    csrf = csrf_from(ask)
    not_yet = client.post(f"/bearbeiten/serien/{sid}/loeschen", data={"csrf_token": csrf, "version": before["version"]})
    assert not_yet.status_code == 200 and client.get(f"/api/v1/series/{sid}").status_code == 200
    gone = client.post(
        f"/bearbeiten/serien/{sid}/loeschen",
        data={"csrf_token": csrf, "version": before["version"], "bestaetigt": "1"},
    )
    assert gone.status_code == 302 and gone.headers["Location"].endswith("/bearbeiten/verlauf/")
    assert client.get(f"/api/v1/series/{sid}").status_code == 404
    assert _feed_dates(client, run_cli, "Int2") == []
    history = client.get("/bearbeiten/verlauf/").get_data(as_text=True)
    assert "Terminserie „Dienstberatung“ gelöscht" in history and "Wiederherstellen" in history
    action = re.search(r'action="(/bearbeiten/verlauf/\d+/wiederherstellen)"', history)
    assert action
    restored = client.post(action.group(1), data={"csrf_token": csrf_from(history)})
    assert restored.status_code == 302, restored.get_data(as_text=True)
    after = client.get(f"/api/v1/series/{sid}", headers=_auth(token)).json
    assert _comparable(after) == _comparable(before)
    assert after["sequence"] > before["sequence"]
    again = client.get("/bearbeiten/verlauf/").get_data(as_text=True)
    assert "wiederhergestellt" in again and ">Wiederherstellen<" not in again
    assert client.post(action.group(1), data={"csrf_token": csrf_from(again)}).status_code == 422
    from datetime import datetime

    assert _feed_dates(client, run_cli, "Int2") == [datetime(2027, 3, 16, 10)]


def test_the_api_restores_a_deleted_series_and_audits_it(app: Flask, client: Any, run_cli: Any) -> None:
    token, before = _rich_series(app, client, run_cli)
    sid = before["id"]
    assert client.delete(f"/api/v1/series/{sid}", headers=_auth(token, before["version"])).status_code == 204
    entries = client.get(f"/api/v1/audit?object_type=series&object_id={sid}", headers=_auth(token)).json["entries"]
    deleted = entries[0]
    assert deleted["action"] == "delete" and deleted["changes"]["snapshot"][0]["guests"][0]["name"] == "Anna Gast"
    restored = client.post("/api/v1/series/restore", json={"audit_entry": deleted["id"]}, headers=_auth(token))
    assert restored.status_code == 201, restored.json
    assert _comparable(restored.json) == _comparable(before)
    entries = client.get(f"/api/v1/audit?object_type=series&object_id={sid}", headers=_auth(token)).json["entries"]
    assert entries[0]["action"] == "restore" and "wiederhergestellt" in entries[0]["summary"]
    twice = client.post("/api/v1/series/restore", json={"audit_entry": deleted["id"]}, headers=_auth(token))
    assert twice.status_code == 422 and twice.json["error"]["field"] == "audit_entry"
    unknown = client.post("/api/v1/series/restore", json={"audit_entry": 999}, headers=_auth(token))
    assert unknown.status_code == 404
