"""The words and times of the accessibility issue, over HTTP: names, Berlin times, von/bis, 409, how-to."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import AuditEntry, MeetingSeries

from .editing_support import csrf_from, login, make_user

LAF = "LAF-Jour fixe"


def _series(app: Flask, title: str = LAF) -> MeetingSeries:
    with app.app_context(), session_scope(app) as s:
        series = s.scalars(select(MeetingSeries).where(MeetingSeries.title == title)).one()
        s.expunge(series)
        return series


def _editor(app: Flask, run_cli: Any, name: str = "erika") -> Any:
    make_user(run_cli, name)
    client = app.test_client()
    login(client, name)
    return client


def _series_form(series: MeetingSeries, page: Any, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf_from(page),
        "version": str(series.version),
        "title": series.title,
        "date": f"{series.dtstart:%Y-%m-%d}",
        "time": f"{series.dtstart:%H:%M}",
        "duration_minutes": str(series.duration_minutes),
        "location": series.location or "",
        "pattern": "once",
        "status": "confirmed",
    }
    return form | changes


def _inputs(html: str) -> dict[str, str]:
    """``name → value`` of every input in ``html``, as a browser would send them."""
    found = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value:
            found[name.group(1)] = value.group(1)
    return found


def test_details_buttons_have_unique_names(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/agenda/2024/05").get_data(as_text=True)
    names = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<summary>(Details.*?)</summary>", page)]
    assert len(names) >= 10 and len(set(names)) == len(names)
    assert "Details zu Dienstberatung Integration, 14.05." in names


def test_editors_get_edit_links_in_the_agenda_and_others_do_not(demo_app: Flask, run_cli: Any) -> None:
    assert "ev-edit" not in demo_app.test_client().get("/agenda/2024/05").get_data(as_text=True)
    editor = _editor(demo_app, run_cli)
    laf = _series(demo_app)
    for path in ("/agenda/2024/05", "/agenda/2024/05/liste"):
        page = editor.get(path).get_data(as_text=True)
        assert f'href="/bearbeiten/serien/{laf.id}' in page, path
        assert re.search(r'class="ev-edit no-print" href="/bearbeiten/serien/\d+/termin/2024-05-14T10:00"', page)
        assert 'Bearbeiten<span class="visually-hidden">: Dienstberatung Integration, 14.05.</span>' in page


def test_single_date_form_has_one_field_per_id(demo_app: Flask, run_cli: Any) -> None:
    editor = _editor(demo_app, run_cli)
    laf = _series(demo_app)
    page = editor.get(f"/bearbeiten/serien/{laf.id}/termin/{laf.dtstart:%Y-%m-%dT%H:%M}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert '<label for="f-cancel-note">Grund (optional)' in page


def test_history_shows_berlin_time_and_german_field_names(demo_app: Flask, run_cli: Any) -> None:
    editor = _editor(demo_app, run_cli)
    laf = _series(demo_app)
    page = editor.get(f"/bearbeiten/serien/{laf.id}")
    answer = editor.post(f"/bearbeiten/serien/{laf.id}", data=_series_form(laf, page, location="Raum 3.01"))
    assert answer.status_code == 302
    with demo_app.app_context(), session_scope(demo_app) as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.object_id == laf.id).order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None
        entry.at = datetime(2024, 7, 1, 8, 5)  # stored in UTC: 10:05 in Berlin (summer time)
    history = editor.get(f"/bearbeiten/serien/{laf.id}").get_data(as_text=True)
    assert "01.07.2024 10:05" in history and "01.07.2024 08:05" not in history
    assert "Wann (Berliner Zeit)" in history
    assert "Ort: " in history and "<code>location</code>" not in history


def test_history_names_single_date_changes_in_german(demo_app: Flask, run_cli: Any) -> None:
    editor = _editor(demo_app, run_cli)
    laf = _series(demo_app)
    rid = f"{laf.dtstart:%Y-%m-%dT%H:%M}"
    page = editor.get(f"/bearbeiten/serien/{laf.id}/termin/{rid}")
    form = {"csrf_token": csrf_from(page), "version": str(laf.version), "action": "cancel", "note": "Urlaub"}
    assert editor.post(f"/bearbeiten/serien/{laf.id}/termin/{rid}", data=form).status_code == 302
    history = editor.get(f"/bearbeiten/serien/{laf.id}").get_data(as_text=True)
    assert f"Termin {laf.dtstart:%d.%m.%Y %H:%M}: abgesagt: – → ja" in history
    assert "exceptions[" not in history


def test_stale_edit_page_keeps_what_was_typed_beside_what_changed(demo_app: Flask, run_cli: Any) -> None:
    alice, bob = _editor(demo_app, run_cli), _editor(demo_app, run_cli, "max")
    laf = _series(demo_app)
    bobs_page = bob.get(f"/bearbeiten/serien/{laf.id}")
    alices_page = alice.get(f"/bearbeiten/serien/{laf.id}")
    assert (
        alice.post(f"/bearbeiten/serien/{laf.id}", data=_series_form(laf, alices_page, location="Raum 9")).status_code
        == 302
    )
    answer = bob.post(f"/bearbeiten/serien/{laf.id}", data=_series_form(laf, bobs_page, title="Bobs Titel"))
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert 'name="title" type="text" value="Bobs Titel"' in page  # nothing typed is lost
    assert f'name="version" value="{laf.version + 1}"' in page  # resent against the current version
    assert "Ort: " in page and "<strong>Raum 9</strong>" in page  # what Alice changed, in German
    assert "<strong>Wiederholungsmuster:</strong> einmalig" in page  # a choice, in German, resent as it was
    form = page[page.index('id="ihre-eingaben"') :]
    resent = _inputs(form)
    assert resent["pattern"] == "once" and resent["version"] == str(laf.version + 1)
    assert bob.post(f"/bearbeiten/serien/{laf.id}", data=resent).status_code == 302
    with demo_app.app_context(), session_scope(demo_app) as s:
        saved = s.get(MeetingSeries, laf.id)
        assert saved is not None and saved.title == "Bobs Titel"


def test_konflikte_reads_von_and_bis_as_documented(demo_app: Flask) -> None:
    web = demo_app.test_client()
    german = web.get("/konflikte?von=2024-05-01&bis=2024-05-31").get_data(as_text=True)
    english = web.get("/konflikte?from=2024-05-01&to=2024-05-31").get_data(as_text=True)
    assert "vom 01.05.2024 bis 31.05.2024" in german
    assert german.count('class="konflikt ') == english.count('class="konflikt ') > 0
    assert 'name="von" value="2024-05-01"' in german and 'name="bis" value="2024-05-31"' in german
    assert web.get("/konflikte?von=2024-05-31&bis=2024-05-01").status_code == 422


def test_feeds_how_to_says_which_clients_need_an_internet_address(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/feeds/").get_data(as_text=True)
    desktop, _, web = page.partition('id="vom-anbieter"')
    for client in ("Outlook für Windows", "Thunderbird", "Apple Kalender", "Evolution"):
        assert client in desktop.split('id="vom-arbeitsplatz"')[1], client
    assert "Intranet" in desktop
    for client in ("Outlook im Web", "Microsoft 365", "neues Outlook", "Google Kalender"):
        assert client in web, client
    assert "aus dem Internet erreichbar" in web and "calsvc export-feeds VERZEICHNIS --base-url https://" in web
