"""Editing meeting series through the German pages: login, move one occurrence, conflicts, 409."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import AuditEntry, MeetingSeries
from calsvc.schedule.engine import occurrences
from calsvc.schedule.rrule import as_local_naive

from .editing_support import csrf_from, login, make_user

LAF = "jour-fixe-der-laf-unterkuenfte"


def _laf(app: Flask) -> MeetingSeries:
    with app.app_context(), session_scope(app) as s:
        series = s.scalar(select(MeetingSeries).where(MeetingSeries.title == "LAF-Jour fixe"))
        assert series is not None
        s.expunge(series)
        return series


def _plan(app: Flask) -> tuple[datetime, datetime]:
    """The next LAF-Jour fixe date and the next Dienstberatung after it (Int1 attends both)."""
    today = date.today()
    with app.app_context(), session_scope(app) as s:
        laf = occurrences(s, today, today + timedelta(days=130), gremium=LAF)[0]
        later = laf.start + timedelta(days=1)
        db = occurrences(s, later, later + timedelta(days=30), gremium="dienstberatung-integration")[0]
    return as_local_naive(laf.recurrence_id), as_local_naive(db.start)


def _occurrence_url(series_id: int, rid: datetime) -> str:
    return f"/bearbeiten/serien/{series_id}/termin/{rid:%Y-%m-%dT%H:%M}"


def _move(client: Any, series_id: int, version: Any, rid: datetime, to: datetime, **extra: str) -> Any:
    page = client.get(_occurrence_url(series_id, rid))
    form = {
        "csrf_token": csrf_from(page),
        "version": str(version),
        "action": "move",
        "new_date": to.date().isoformat(),
        "new_time": f"{to:%H:%M}",
        "new_duration_minutes": "120",
        "new_location": "",
        "note": "Raum belegt",
        **extra,
    }
    return client.post(_occurrence_url(series_id, rid), data=form)


def test_new_editor_moves_one_laf_date_with_conflict_confirmation(demo_app: Flask, run_cli: Any) -> None:
    client = demo_app.test_client()
    make_user(run_cli)
    assert login(client).status_code == 302
    laf = _laf(demo_app)
    rid, to = _plan(demo_app)
    page = client.get(f"/bearbeiten/serien/{laf.id}").get_data(as_text=True)
    assert "Nächste Termine" in page and "Änderungsverlauf" in page and 'value="bimonthly" checked' in page
    assert _occurrence_url(laf.id, rid) in page

    first = _move(client, laf.id, laf.version, rid, to)
    # Int1 leads the Jour fixe and sits in the Dienstberatung: the form asks first
    assert first.status_code == 200
    text = first.get_data(as_text=True)
    assert "Konflikt" in text and "Trotzdem speichern" in text
    assert _laf(demo_app).version == laf.version  # nothing saved yet
    first = _move(client, laf.id, laf.version, rid, to, confirm="1")
    assert first.status_code == 302, first.get_data(as_text=True)

    moved = _laf(demo_app)
    assert moved.sequence > laf.sequence and moved.version > laf.version
    with demo_app.app_context(), session_scope(demo_app) as s:
        series = s.get(MeetingSeries, laf.id)
        exc = next(e for e in series.exceptions if e.recurrence_id == rid)
        assert exc.new_start == to and exc.sequence >= moved.sequence
        entry = s.scalars(select(AuditEntry).where(AuditEntry.object_id == laf.id)).all()[-1]
        assert entry.actor == "erika" and entry.action == "move_occurrence"
        assert "trotz" in entry.summary and "conflicts_confirmed" in entry.changes
    api = client.get(f"/api/v1/series/{laf.id}").json
    assert api["sequence"] == moved.sequence
    assert any(e["new_start"] == to.isoformat() for e in api["exceptions"])
    history = client.get(f"/bearbeiten/serien/{laf.id}").get_data(as_text=True)
    assert f"Termin {rid:%d.%m.%Y %H:%M} verschoben" in history and f"{to:%d.%m.%Y %H:%M}" in history

    feed = client.get(f"/feeds/gremium/{LAF}.ics")
    assert feed.status_code == 200
    body = feed.get_data(as_text=True).replace("\r\n ", "")
    marker = f"RECURRENCE-ID;TZID=Europe/Berlin:{rid:%Y%m%dT%H%M%S}"
    override = next(chunk for chunk in body.split("BEGIN:VEVENT") if marker in chunk)
    assert f"DTSTART;TZID=Europe/Berlin:{to:%Y%m%dT%H%M%S}" in override
    sequence = int(override.split("SEQUENCE:")[1].split("\r\n")[0])
    assert sequence > laf.sequence  # subscribers replace the date they have


def test_second_browsers_stale_edit_is_refused_with_409(demo_app: Flask, run_cli: Any) -> None:
    make_user(run_cli)
    make_user(run_cli, "max")
    alice, bob = demo_app.test_client(), demo_app.test_client()
    login(alice)
    login(bob, "max")
    laf = _laf(demo_app)
    stale_page = bob.get(f"/bearbeiten/serien/{laf.id}")  # Bob reads version N
    rid, to = _plan(demo_app)
    assert _move(alice, laf.id, laf.version, rid, to, confirm="1").status_code == 302
    form = {
        "csrf_token": csrf_from(stale_page),
        "version": str(laf.version),
        "title": "Überschrieben",
        "gremium": LAF,
        "date": "2024-01-11",
        "time": "14:00",
        "duration_minutes": "120",
        "pattern": "bimonthly",
        "nth": "2",
        "status": "confirmed",
        "location": "x",
    }
    answer = bob.post(f"/bearbeiten/serien/{laf.id}", data=form)
    assert answer.status_code == 409
    assert "Konflikt mit einer anderen Änderung" in answer.get_data(as_text=True)
    assert _laf(demo_app).title == "LAF-Jour fixe"


def test_writes_need_login_csrf_and_the_editor_role(app: Flask, run_cli: Any, client: Any) -> None:
    assert client.get("/bearbeiten/serien/neu").status_code == 302
    assert client.post("/bearbeiten/serien/neu", data={"title": "x"}).status_code == 400  # no CSRF token
    token = csrf_from(client.get("/anmelden"))
    anonymous = client.post("/bearbeiten/serien/neu", data={"csrf_token": token, "title": "x"})
    assert anonymous.status_code == 302 and "/anmelden" in anonymous.headers["Location"]  # valid token, no login
    make_user(run_cli)
    login(client)
    no_csrf = client.post("/bearbeiten/serien/neu", data={"title": "Neu", "date": "2024-03-01", "time": "10:00"})
    assert no_csrf.status_code == 400 and "CSRF" in no_csrf.get_data(as_text=True)
    make_user(run_cli, "vera", role="viewer")
    viewer = app.test_client()
    login(viewer, "vera")
    assert viewer.get("/bearbeiten/serien/neu").status_code == 403
    assert client.get("/bearbeiten/serien/1/termin/quatsch").status_code in (404, 422)


def test_create_series_with_the_picker_and_see_field_errors(app: Flask, run_cli: Any, client: Any) -> None:
    make_user(run_cli)
    login(client)
    page = client.get("/bearbeiten/serien/neu")
    form = {
        "csrf_token": csrf_from(page),
        "title": "Beirat",
        "date": "2024-01-03",
        "time": "17:00",
        "duration_minutes": "150",
        "pattern": "monthly",
        "nth": "1",
        "skip_summer": "y",
        "end_mode": "count",
        "count": "10",
        "status": "confirmed",
        "location": "BVV-Saal",
    }
    bad = client.post("/bearbeiten/serien/neu", data={**form, "nth": "2"})  # 03.01. is the first Wednesday
    assert bad.status_code == 422 and 'id="e-date"' in bad.get_data(as_text=True)
    asks = client.post("/bearbeiten/serien/neu", data=form)  # 01.05.2024 is a public holiday, even without people
    assert asks.status_code == 200 and "01.05.2024" in asks.get_data(as_text=True)
    assert "Trotzdem speichern" in asks.get_data(as_text=True)
    ok = client.post("/bearbeiten/serien/neu", data={**form, "confirm": "1"})
    assert ok.status_code == 302
    with app.app_context(), session_scope(app) as s:
        series = s.scalars(select(MeetingSeries)).one()
        assert series.rrule == "FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,9,10,11,12;BYDAY=1WE;COUNT=10"
        series_id = series.id
    edit = client.get(ok.headers["Location"]).get_data(as_text=True)
    assert 'value="monthly" checked' in edit and "Angelegt" not in edit
    asked = client.post(
        f"/bearbeiten/serien/{series_id}/loeschen", data={"csrf_token": csrf_from(edit), "version": "1"}
    )
    assert asked.status_code == 200 and "Was das Löschen bewirkt" in asked.get_data(as_text=True)  # asks first
    delete = client.post(
        f"/bearbeiten/serien/{series_id}/loeschen",
        data={"csrf_token": csrf_from(edit), "version": "1", "bestaetigt": "1"},
    )
    assert delete.status_code == 302
    with app.app_context(), session_scope(app) as s:
        assert s.scalars(select(MeetingSeries)).all() == []
