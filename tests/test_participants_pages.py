"""The series form and the date page with people: persons, guests, "nur an diesem Termin"."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import MeetingSeries

from .editing_support import csrf_from, login, make_user
from .test_participants import _people

FORM = {
    "title": "Abstimmung Träger",
    "gremium": "",
    "date": "2027-03-09",
    "time": "14:00",
    "duration_minutes": "60",
    "pattern": "weekly",
    "end_mode": "count",
    "count": "3",
    "status": "confirmed",
    "people_shown": "1",
}


def _new(client: Any, **values: Any) -> Any:
    page = client.get("/bearbeiten/serien/neu")
    return client.post("/bearbeiten/serien/neu", data={"csrf_token": csrf_from(page), **FORM, **values})


def _series(app: Flask) -> MeetingSeries:
    with app.app_context(), session_scope(app) as s:
        series = s.scalar(select(MeetingSeries).where(MeetingSeries.title == FORM["title"]))
        assert series is not None
        for _ in (series.participants, series.guests, series.attendance):
            pass
        s.expunge_all()
        return series


def test_the_form_plans_a_meeting_without_gremium_with_persons_and_a_guest(
    app: Flask, client: Any, run_cli: Any
) -> None:
    _people(app)
    make_user(run_cli)
    login(client)
    page = client.get("/bearbeiten/serien/neu").get_data(as_text=True)
    assert "Teilnehmende" in page and 'name="participants" value="Int2"' in page
    saved = _new(client, participants=["IntB", "Int2"], guests="Anna Gast; anna@example.org; Verein Brücke")
    assert saved.status_code == 302, saved.get_data(as_text=True)
    series = _series(app)
    assert sorted(p.person.code for p in series.participants) == ["Int2", "IntB"]
    assert [(g.name, g.email, g.organisation) for g in series.guests] == [
        ("Anna Gast", "anna@example.org", "Verein Brücke")
    ]
    edit = client.get(f"/bearbeiten/serien/{series.id}").get_data(as_text=True)
    assert "Anna Gast; anna@example.org; Verein Brücke" in edit
    assert 'value="IntB" checked' in edit and 'value="Int1" checked' not in edit


def test_a_bad_guest_line_is_shown_at_its_field(app: Flask, client: Any, run_cli: Any) -> None:
    _people(app)
    make_user(run_cli)
    login(client)
    refused = _new(client, participants=["IntB"], guests="Anna Gast; keine-adresse")
    assert refused.status_code == 422
    assert "E-Mail-Adresse" in refused.get_data(as_text=True)
    with app.app_context(), session_scope(app) as s:
        assert s.scalars(select(MeetingSeries)).all() == []


def test_the_date_page_adds_and_removes_people_for_one_date(app: Flask, client: Any, run_cli: Any) -> None:
    _people(app)
    make_user(run_cli)
    login(client)
    assert _new(client, participants=["IntB"]).status_code == 302
    series = _series(app)
    url = f"/bearbeiten/serien/{series.id}/termin/2027-03-16T14:00"
    page = client.get(url)
    assert "Teilnehmende an diesem Termin" in page.get_data(as_text=True)
    token = csrf_from(page)
    common = {"csrf_token": token, "version": str(series.version)}
    added = client.post(url + "/teilnahme", data={**common, "action": "add", "person": "Int1"})
    assert added.status_code == 302, added.get_data(as_text=True)
    text = client.get(url).get_data(as_text=True)
    assert "+Int1" in text
    guest = {**common, "version": str(series.version + 1), "action": "add", "name": "Bert", "email": "bert@x.de"}
    assert client.post(url + "/teilnahme", data=guest).status_code == 302
    removed = {**common, "version": str(series.version + 2), "action": "remove", "person": "IntB"}
    assert client.post(url + "/teilnahme", data=removed).status_code == 302
    changed = _series(app)
    assert sorted(("+" if a.present else "-") + (a.name or str(a.person_id)) for a in changed.attendance) == [
        "+2",
        "+Bert",
        "-1",
    ]
    history = client.get(f"/bearbeiten/serien/{series.id}").get_data(as_text=True)
    assert "Termin 16.03.2027 14:00: Teilnehmende" in history


def test_a_stale_save_keeps_every_ticked_person_and_month(app: Flask, client: Any, run_cli: Any) -> None:
    _people(app)
    make_user(run_cli)
    login(client)
    assert _new(client, participants=["IntB"]).status_code == 302
    series = _series(app)
    page = client.get(f"/bearbeiten/serien/{series.id}")
    form = {
        **FORM,
        "csrf_token": csrf_from(page),
        "version": str(series.version + 5),  # someone else's newer version is assumed: stale
        "participants": ["IntB", "Int2"],
        "months": ["3", "4"],
        "guests": "Anna Gast; anna@example.org\nBert; bert@example.org",
    }
    stale = client.post(f"/bearbeiten/serien/{series.id}", data=form)
    text = stale.get_data(as_text=True)
    assert stale.status_code == 409
    for value in ('name="participants" type="text" value="IntB"', 'name="participants" type="text" value="Int2"'):
        assert value in text
    assert 'value="3"' in text and 'value="4"' in text
    assert "Anna Gast; anna@example.org\nBert; bert@example.org</textarea>" in text


def test_saving_the_form_unchanged_keeps_whether_a_series_follows_its_gremium(
    app: Flask, client: Any, run_cli: Any
) -> None:
    from .editing_support import make_token
    from .test_participants import WEEKLY

    _people(app)
    make_user(run_cli)
    token = make_token(run_cli)
    created = client.post("/api/v1/series", json=WEEKLY, headers={"Authorization": f"Bearer {token}"}).json
    explicit = client.post(
        "/api/v1/series",
        json={**WEEKLY, "title": "Klausur", "participants": ["IntB", "Int1"], "dtstart": "2027-03-02T14:00"},
        headers={"Authorization": f"Bearer {token}"},
    ).json
    login(client)
    for series, expected in ((created, True), (explicit, False)):
        page = client.get(f"/bearbeiten/serien/{series['id']}")
        text = page.get_data(as_text=True)
        hidden = re.search(r'name="participants_default" value="(\d?)"', text)
        assert hidden is not None
        form = {
            **FORM,
            "csrf_token": csrf_from(page),
            "version": str(series["version"]),
            "title": series["title"],
            "gremium": "dienstberatung",
            "date": series["dtstart"][:10],
            "time": series["dtstart"][11:16],
            "pattern": "weekly",
            "count": "6",
            "participants": ["IntB", "Int1"],
            "participants_default": hidden.group(1),
            "description": "geändert",
        }
        assert client.post(f"/bearbeiten/serien/{series['id']}", data=form).status_code == 302
        assert client.get(f"/api/v1/series/{series['id']}").json["participants_default"] is expected
