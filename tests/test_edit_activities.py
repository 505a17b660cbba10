"""Edit pages for activities: Terminierung parsed on submit (error next to the field), progress notes."""

from __future__ import annotations

from typing import Any

from flask import Flask

from .editing_support import csrf_from, login, make_user


def test_activity_terminierung_is_checked_and_progress_recorded(app: Flask, run_cli: Any) -> None:
    make_user(run_cli)
    client = app.test_client()
    login(client)
    page = client.get("/bearbeiten/aktivitaeten/neu")
    assert "terminierung.js" in page.get_data(as_text=True)
    form = {
        "csrf_token": csrf_from(page),
        "plan_year": "2024",
        "number": "7",
        "title": "Fachtag Vielfalt",
        "terminierung": "im Quatal 3",
        "status": "geplant",
    }
    bad = client.post("/bearbeiten/aktivitaeten/neu", data=form)
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'id="e-terminierung"' in text and "Quatal" in text
    ok = client.post("/bearbeiten/aktivitaeten/neu", data={**form, "terminierung": "II. Quartal 2024, fortlaufend"})
    assert ok.status_code == 302
    edit = client.get(ok.headers["Location"])
    assert "Verstanden als" in edit.get_data(as_text=True)
    activity = client.get("/api/v1/activities").json["activities"][0]
    assert activity["periods"][0]["start"] == "2024-04-01" and activity["ongoing"] is True
    progress = {
        "csrf_token": csrf_from(edit),
        "day": "2024-05-02",
        "status": "in Arbeit",
        "note": "Raum gebucht",
        "version": str(activity["version"]),
    }
    assert client.post(f"/bearbeiten/aktivitaeten/{activity['id']}/stand", data=progress).status_code == 302
    page = client.get(f"/bearbeiten/aktivitaeten/{activity['id']}").get_data(as_text=True)
    assert "02.05.2024" in page and "Raum gebucht" in page
    assert client.get(f"/api/v1/activities/{activity['id']}").json["status"] == "in Arbeit"
