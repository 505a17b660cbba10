"""„Mein Kalender“ (/mein): accounts of persons, the feed link shown once, absences, outside calendars."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from typing import Any

import icalendar
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import Absence, AuditEntry, BusySource, Gremium, MeetingSeries, Membership, Person, User

from .calendar_server import CALENDARS, serve_calendars
from .editing_support import PASSWORD, csrf_from, login, make_user


def _office(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        intb = Person(code="IntB", title="Integrationsbeauftragte")
        int1 = Person(code="Int1", title="Integration 1")
        beirat = Gremium(slug="beirat", name="Beirat")
        beirat.memberships.append(Membership(person=intb, role="lead"))
        beirat.memberships.append(Membership(person=int1, role="member"))
        start = datetime.combine(date.today() + timedelta(days=7), datetime.min.time()).replace(hour=10)
        s.add_all(
            [intb, int1, MeetingSeries(gremium=beirat, title="Beiratssitzung", dtstart=start, duration_minutes=90)]
        )


def _staff(
    app: Flask, run_cli: Any, client: Any, name: str = "irina", person: str = "IntB", role: str = "viewer"
) -> None:
    _office(app)
    result = run_cli("create-user", name, "--role", role, "--person", person, "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "gehört zu IntB" in result.output
    assert login(client, name).status_code == 302


def test_mein_needs_a_login(client: Any) -> None:
    answer = client.get("/mein")
    assert answer.status_code == 302
    assert "/anmelden" in answer.headers["Location"]


def test_create_user_links_the_account_to_a_person(app: Flask, run_cli: Any) -> None:
    _office(app)
    assert run_cli("create-user", "x", "--person", "Nobody", "--password-stdin", input=PASSWORD + "\n").exit_code == 1
    make_user(run_cli, "paul", "viewer")
    assert run_cli("link-user", "paul", "Int1").exit_code == 0
    with app.app_context(), session_scope(app) as s:
        user = s.scalar(select(User).where(User.name == "paul"))
        assert user is not None and user.person is not None and user.person.code == "Int1"
        assert s.scalar(select(AuditEntry).where(AuditEntry.object_type == "user")) is not None


def test_the_feed_link_is_made_shown_once_and_reset_by_its_owner(app: Flask, run_cli: Any, client: Any) -> None:
    _staff(app, run_cli, client)
    page = client.get("/mein")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Beiratssitzung" in text and "Link erzeugen" in text
    made = client.post("/mein/link", data={"csrf_token": csrf_from(page)})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    link = _link(made.get_data(as_text=True))
    feed = client.get(link.removeprefix("http://localhost"))
    assert feed.status_code == 200 and b"Beiratssitzung" in feed.data
    again = client.get("/mein").get_data(as_text=True)
    assert link.split("token=")[1] not in again  # shown once
    # A second "create" (e.g. an old form) is refused at the field; a reset replaces the link.
    refused = client.post("/mein/link", data={"csrf_token": csrf_from(again)})
    assert refused.status_code == 422 and "schon einen geheimen Link" in refused.get_data(as_text=True)
    reset = client.post("/mein/link", data={"csrf_token": csrf_from(again), "reset": "1"})
    new_link = _link(reset.get_data(as_text=True))
    assert new_link != link
    assert client.get(link.removeprefix("http://localhost")).status_code == 403
    assert client.get(new_link.removeprefix("http://localhost")).status_code == 200
    with app.app_context(), session_scope(app) as s:
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "person")))
        assert {"feed_link_create", "feed_link_reset"} <= actions


def _link(html: str) -> str:
    start = html.index('<code class="secret-link">') + len('<code class="secret-link">')
    return html[start : html.index("</code>", start)].replace("&amp;", "&")


def test_others_pages_are_for_admins_only(app: Flask, run_cli: Any, client: Any) -> None:
    _staff(app, run_cli, client)
    assert client.get("/mein?person=Int1").status_code == 403
    make_user(run_cli, "admin", "admin")
    other = app.test_client()
    login(other, "admin")
    page = other.get("/mein?person=IntB")
    assert page.status_code == 200 and "IntB" in page.get_data(as_text=True)
    made = other.post("/mein/link?person=IntB", data={"csrf_token": csrf_from(page)})
    assert made.status_code == 200 and "/feeds/person/IntB.ics?token=" in made.get_data(as_text=True)


def test_an_account_without_a_person_is_told_so(app: Flask, run_cli: Any, client: Any) -> None:
    make_user(run_cli, "erika", "editor")
    login(client, "erika")
    text = client.get("/mein").get_data(as_text=True)
    assert "zu keiner Person" in text
    assert client.post("/mein/link", data={"csrf_token": csrf_from(text)}).status_code == 404


def test_absences_are_entered_checked_and_deleted(app: Flask, run_cli: Any, client: Any) -> None:
    _staff(app, run_cli, client)
    page = client.get("/mein")
    token = csrf_from(page)
    bad = client.post("/mein/abwesenheiten", data={"csrf_token": token, "kind": "urlaub", "start": "2026-08-10",
                                                   "end": "2026-08-01"})  # fmt: skip
    assert bad.status_code == 422 and "„bis“ liegt vor „von“" in bad.get_data(as_text=True)
    wrong_kind = client.post("/mein/abwesenheiten", data={"csrf_token": token, "kind": "party", "start": "2026-08-10"})
    assert wrong_kind.status_code == 422 and "„Art“ muss eine von" in wrong_kind.get_data(as_text=True)
    first = (date.today() + timedelta(days=7)).isoformat()
    ok = client.post("/mein/abwesenheiten", data={"csrf_token": token, "kind": "urlaub", "start": first})
    assert ok.status_code == 302
    text = client.get("/mein").get_data(as_text=True)
    assert "Urlaub" in text
    assert "Abwesend" in text  # the Beirat that day is a conflict of my own
    with app.app_context(), session_scope(app) as s:
        absence = s.scalar(select(Absence))
        assert absence is not None and absence.kind == "urlaub"
        absence_id = absence.id
    gone = client.post(f"/mein/abwesenheiten/{absence_id}/loeschen", data={"csrf_token": token})
    assert gone.status_code == 302
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(Absence)) is None
        assert {"create", "delete"} <= set(
            s.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "absence"))
        )


def test_an_absence_is_changed_in_place_checked_and_never_lost_to_a_stale_form(
    app: Flask, run_cli: Any, client: Any
) -> None:
    """The trip ends a day later: "Ändern" fills the form; a refused or stale change keeps what was saved."""
    _staff(app, run_cli, client)
    token = csrf_from(client.get("/mein"))
    meeting_day = date.today() + timedelta(days=7)
    before = (meeting_day - timedelta(days=2)).isoformat()
    made = client.post("/mein/abwesenheiten", data={"csrf_token": token, "kind": "dienstreise", "start": before})
    assert made.status_code == 302
    with app.app_context(), session_scope(app) as s:
        absence = s.scalars(select(Absence)).one()
        absence_id, version = absence.id, absence.version
    mine = client.get("/mein").get_data(as_text=True)
    assert f"/mein/abwesenheiten/{absence_id}#abwesenheit-form" in mine and "Abwesend" not in mine  # no conflict yet
    form = client.get(f"/mein/abwesenheiten/{absence_id}").get_data(as_text=True)
    assert "ändern</h3>" in form and f'value="{before}"' in form and 'value="dienstreise" selected' in form
    assert f'name="version" value="{version}"' in form and "Änderung speichern" in form
    url = f"/mein/abwesenheiten/{absence_id}"
    change = {"csrf_token": token, "version": str(version), "kind": "dienstreise", "start": before}
    wrong = client.post(url, data={**change, "end": (meeting_day - timedelta(days=5)).isoformat()})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "„bis“ liegt vor „von“" in page and "Änderung speichern" in page
    longer = client.post(url, data={**change, "end": meeting_day.isoformat(), "note": "Tagung verlängert"})
    assert longer.status_code == 302
    after = client.get("/mein").get_data(as_text=True)
    assert "Abwesenheit geändert." in after and "Abwesend" in after  # the Beirat that day is now my conflict
    stale = client.post(url, data={**change, "end": ""})  # a second tab with the old version
    assert stale.status_code == 409
    with app.app_context(), session_scope(app) as s:
        kept = s.get(Absence, absence_id)
        assert kept is not None and kept.end_day == meeting_day and kept.note == "Tagung verlängert"
        (entry,) = s.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "absence", AuditEntry.action == "update")
        )
        assert "Tagung" not in entry.changes and "dienstreise" not in entry.changes  # others read the audit
        assert json.loads(entry.changes) == {
            "end": [before, meeting_day.isoformat()],
            "version": [version, version + 1],
        }


def test_someone_elses_absence_cannot_be_deleted(app: Flask, run_cli: Any, client: Any) -> None:
    _staff(app, run_cli, client)
    with app.app_context(), session_scope(app) as s:
        int1 = s.scalar(select(Person).where(Person.code == "Int1"))
        s.add(Absence(person=int1, kind="krank", start_day=date(2026, 3, 2), end_day=date(2026, 3, 2)))
    token = csrf_from(client.get("/mein"))
    with app.app_context(), session_scope(app) as s:
        absence_id = s.scalars(select(Absence.id)).one()
    assert client.post(f"/mein/abwesenheiten/{absence_id}/loeschen", data={"csrf_token": token}).status_code == 404
    assert client.get(f"/mein/abwesenheiten/{absence_id}").status_code == 404
    change = {"csrf_token": token, "version": "1", "kind": "urlaub", "start": "2026-03-02"}
    assert client.post(f"/mein/abwesenheiten/{absence_id}", data=change).status_code == 404


def test_the_feeds_page_sends_staff_to_mein(client: Any) -> None:
    text = client.get("/feeds/").get_data(as_text=True)
    assert 'href="/mein"' in text
    assert "calsvc feed-token" not in text


def test_outside_calendars_are_added_synced_and_their_errors_shown_to_their_owner(
    app: Flask, run_cli: Any, client: Any
) -> None:
    _staff(app, run_cli, client)
    token = csrf_from(client.get("/mein"))
    with serve_calendars() as server:
        bad = client.post("/mein/kalender", data={"csrf_token": token, "label": "Alt", "url": server.url("fehlt.ics")})
        assert bad.status_code == 302
        page = client.get("/mein").get_data(as_text=True)
        assert "Abgleich fehlgeschlagen: Der Server antwortet mit Fehler 404" in page
        assert "Alt" in page
        refused = client.post("/mein/kalender", data={"csrf_token": token, "url": "file:///etc/passwd"})
        assert refused.status_code == 422 and "https://" in refused.get_data(as_text=True)
        good = {"csrf_token": token, "label": "Outlook", "url": server.url("outlook-freebusy.ics")}
        assert client.post("/mein/kalender", data=good).status_code == 302
        with app.app_context(), session_scope(app) as s:
            source_id = s.scalar(select(BusySource.id).where(BusySource.label == "Outlook"))
        assert client.post(f"/mein/kalender/{source_id}/abgleichen", data={"csrf_token": token}).status_code == 302
        assert server.hits.count("/outlook-freebusy.ics") == 2
    upload = (CALENDARS / "outlook-published.ics").read_bytes()
    sent = client.post(
        "/mein/kalender",
        data={"csrf_token": token, "label": "Datei", "file": (io.BytesIO(upload), "kalender.ics")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    with app.app_context(), session_scope(app) as s:
        sources = {src.label: src for src in s.scalars(select(BusySource))}
        assert sources["Alt"].last_ok is False and sources["Datei"].url is None
        assert s.scalar(select(AuditEntry).where(AuditEntry.object_type == "busy_source")) is not None
    assert client.post(f"/mein/kalender/{source_id}/loeschen", data={"csrf_token": token}).status_code == 302
    with app.app_context(), session_scope(app) as s:
        assert s.get(BusySource, source_id) is None


def test_own_feed_carries_own_absences_only_when_opted_in(app: Flask, run_cli: Any, client: Any) -> None:
    _staff(app, run_cli, client)
    page = client.get("/mein")
    token = csrf_from(page)
    link = _link(client.post("/mein/link", data={"csrf_token": token}).get_data(as_text=True))
    feed_path = link.removeprefix("http://localhost")
    first = date.today() + timedelta(days=3)
    for data in (
        {"kind": "urlaub", "start": first.isoformat(), "end": (first + timedelta(days=4)).isoformat()},
        {"kind": "fortbildung", "start": first.isoformat(), "start_time": "13:00", "end_time": "16:30"},
    ):
        assert client.post("/mein/abwesenheiten", data={"csrf_token": token, **data}).status_code == 302
    assert b"Abwesend" not in client.get(feed_path).data
    assert (
        client.post("/mein/abwesenheiten-im-kalender", data={"csrf_token": token, "feed_absences": "1"}).status_code
        == 302
    )
    calendar = icalendar.Calendar.from_ical(client.get(feed_path).data)
    absent = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Abwesend")}
    assert set(absent) == {"Abwesend: Urlaub", "Abwesend: Fortbildung"}
    vacation = absent["Abwesend: Urlaub"]
    assert vacation["DTSTART"].dt == first and vacation["DTEND"].dt == first + timedelta(days=5)
    course = absent["Abwesend: Fortbildung"]
    assert course["DTSTART"].dt.hour == 13 and str(course["DTSTART"].dt.tzinfo) == "Europe/Berlin"
    # Others see only "abwesend", in the agenda too.
    agenda = app.test_client().get(f"/agenda/{first:%Y}/{first:%m}").get_data(as_text=True)
    assert "abwesend: IntB" in agenda and "Urlaub" not in agenda and "Fortbildung" not in agenda
