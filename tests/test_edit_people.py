"""Edit pages for persons (vacancies) and Gremien with members."""

from __future__ import annotations

from typing import Any

from flask import Flask

from .editing_support import csrf_from, login, make_user


def _editor(app: Flask, run_cli: Any) -> Any:
    make_user(run_cli)
    client = app.test_client()
    login(client)
    return client


def test_create_person_with_vacancy_then_fix_a_field_error(app: Flask, run_cli: Any) -> None:
    client = _editor(app, run_cli)
    page = client.get("/bearbeiten/personen/neu")
    form = {
        "csrf_token": csrf_from(page),
        "code": "BA",
        "title": "Büroassistenz",
        "vacant": "y",
        "vacant_from": "2024-06-01",
        "vacant_until": "2024-05-31",
    }
    bad = client.post("/bearbeiten/personen/neu", data=form)
    assert bad.status_code == 422
    assert 'id="e-vacant_until"' in bad.get_data(as_text=True)
    ok = client.post("/bearbeiten/personen/neu", data={**form, "vacant_from": ""})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/bearbeiten/personen/BA")
    assert client.get("/api/v1/persons/BA").json["vacant_until"] == "2024-05-31"
    edit = client.get("/bearbeiten/personen/BA")
    change = {
        "csrf_token": csrf_from(edit),
        "code": "BA",
        "title": "Büroassistenz",
        "name": "Kim Meyer",
        "version": "1",
    }
    assert client.post("/bearbeiten/personen/BA", data=change).status_code == 302
    person = client.get("/api/v1/persons/BA").json
    assert person["vacant"] is False and person["name"] == "Kim Meyer" and person["version"] == 2
    page = client.get("/bearbeiten/personen/BA").get_data(as_text=True)
    assert "Änderungsverlauf" in page and "Kim Meyer" in page
    stale = client.post("/bearbeiten/personen/BA", data={**change, "name": "Alt"})
    assert stale.status_code == 409


def test_gremium_with_members_and_lead(app: Flask, run_cli: Any) -> None:
    client = _editor(app, run_cli)
    for code in ("IntB", "Int1"):
        page = client.get("/bearbeiten/personen/neu")
        client.post("/bearbeiten/personen/neu", data={"csrf_token": csrf_from(page), "code": code})
    page = client.get("/bearbeiten/gremien/neu")
    created = client.post(
        "/bearbeiten/gremien/neu", data={"csrf_token": csrf_from(page), "name": "AG Vielfalt", "level": "bezirklich"}
    )
    assert created.status_code == 302 and created.headers["Location"].endswith("/bearbeiten/gremien/ag-vielfalt")
    page = client.get("/bearbeiten/gremien/ag-vielfalt")
    token = csrf_from(page)
    url = "/bearbeiten/gremien/ag-vielfalt/mitglieder"
    assert (
        client.post(url, data={"csrf_token": token, "person": "IntB", "role": "lead", "version": "1"}).status_code
        == 302
    )
    assert client.post(url, data={"csrf_token": token, "person": "Int1", "version": "2"}).status_code == 302
    assert client.post(url, data={"csrf_token": token, "person": "Int2", "version": "3"}).status_code in (404, 422)
    gremium = client.get("/api/v1/gremien/ag-vielfalt").json
    assert gremium["members"] == [{"person": "IntB", "role": "lead"}, {"person": "Int1", "role": "member"}]
    removed = client.post(f"{url}/Int1/entfernen", data={"csrf_token": token, "version": str(gremium["version"])})
    assert removed.status_code == 302
    assert [m["person"] for m in client.get("/api/v1/gremien/ag-vielfalt").json["members"]] == ["IntB"]
    history = client.get("/bearbeiten/gremien/ag-vielfalt").get_data(as_text=True)
    assert "Mitglied Int1 entfernt" in history and "Mitglied IntB (lead)" in history
