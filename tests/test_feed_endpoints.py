"""Feed endpoints: content type, validators and 304s, private person feeds, cache invalidation."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import icalendar
import pytest
from dateutil.relativedelta import WE, relativedelta
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import (
    Activity,
    ActivityPeriod,
    Gremium,
    MeetingSeries,
    Membership,
    Person,
    SeriesException,
)


@pytest.fixture
def office(app: Flask) -> Flask:
    """A small office: IntB leads a monthly Beirat; one quarter-long activity for IntB."""
    with app.app_context(), session_scope(app) as s:
        intb = Person(code="IntB", title="Integrationsbeauftragte")
        int1 = Person(code="Int1", title="Koordinatorin für Flüchtlingsfragen")
        beirat = Gremium(slug="beirat", name="Beirat für Partizipation und Integration")
        beirat.memberships += [Membership(person=intb, role="lead"), Membership(person=int1)]
        series = MeetingSeries(
            gremium=beirat,
            title="Beiratssitzung",
            dtstart=datetime(2026, 1, 7, 17),
            duration_minutes=120,
            rrule="FREQ=MONTHLY;BYDAY=1WE",
            location="BVV-Saal",
        )
        series.exceptions.append(SeriesException(recurrence_id=datetime(2026, 2, 4, 17), cancelled=True))  # passed
        activity = Activity(
            plan_year=2026, number=1, title="Neuauflage Willkommensbroschüre", terminierung="IV. Quartal 2026"
        )
        activity.responsible.append(intb)
        activity.periods.append(ActivityPeriod(start=date(2026, 10, 1), end=date(2026, 12, 31), precision="quarter"))
        s.add_all([series, activity])
    return app


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def summaries(body: bytes) -> set[str]:
    return {str(e["SUMMARY"]) for e in parse(body).walk("VEVENT")}


def test_gremium_feed_is_a_calendar_with_validators(office: Flask) -> None:
    client = office.test_client()
    answer = client.get("/feeds/gremium/beirat.ics")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert answer.headers["Content-Disposition"] == 'inline; filename="beirat.ics"'
    assert answer.headers["ETag"].startswith('"') and answer.headers["Last-Modified"].endswith("GMT")
    calendar = parse(answer.data)
    assert str(calendar["X-WR-CALNAME"]) == "Beirat für Partizipation und Integration"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == "series-1@test.calsvc"
    assert "Leitung: IntB" in str(event["DESCRIPTION"]) and "Teilnehmende: IntB, Int1" in str(event["DESCRIPTION"])
    assert [d.dt for d in event["EXDATE"].dts] == [datetime(2026, 2, 4, 17, tzinfo=event["DTSTART"].dt.tzinfo)]


def test_revalidation_gets_304_and_head_has_no_body(office: Flask) -> None:
    client = office.test_client()
    first = client.get("/feeds/all.ics")
    again = client.get("/feeds/all.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    by_date = client.get("/feeds/all.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304
    head = client.head("/feeds/all.ics")
    assert head.status_code == 200 and head.data == b"" and int(head.headers["Content-Length"]) == len(first.data)


def test_unchanged_data_gives_identical_bytes_and_a_write_changes_them(office: Flask) -> None:
    client = office.test_client()
    first, second = client.get("/feeds/all.ics"), client.get("/feeds/all.ics")
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    with office.app_context(), session_scope(office) as s:
        s.scalar(select(MeetingSeries)).location = "Rathaus, Raum 2.14"
    changed = client.get("/feeds/all.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert b"Raum 2.14" in changed.data


def test_activities_are_in_the_vorhaben_feed_and_meeting_feeds_carry_meetings_only(office: Flask) -> None:
    client = office.test_client()
    answer = client.get("/feeds/vorhaben/all.ics")
    assert answer.status_code == 200 and answer.headers["Content-Disposition"] == 'inline; filename="vorhaben.ics"'
    calendar = parse(answer.data)
    assert str(calendar["X-WR-CALNAME"]) == "Vorhaben · Integrationsbüro Marzahn-Hellersdorf"
    (span,) = calendar.walk("VEVENT")
    assert span["DTSTART"].dt == date(2026, 10, 1) and span["DTEND"].dt == date(2027, 1, 1)
    assert str(span["TRANSP"]) == "TRANSPARENT" and str(span["SUMMARY"]).startswith("Neuauflage Willkommensbroschüre")
    # the old addresses keep working, now without the planning items (?fuzzy=none is simply true now)
    assert summaries(client.get("/feeds/all.ics").data) == {"Beiratssitzung"}
    assert client.get("/feeds/all.ics?fuzzy=none").data == client.get("/feeds/all.ics").data
    assert client.get("/feeds/vorhaben/gremium/beirat.ics").status_code == 404  # no Vorhaben per Gremium


def test_a_cancelled_coming_date_stays_in_the_feed_as_abgesagt(office: Flask) -> None:
    coming = date.today() + relativedelta(months=2, day=1, weekday=WE(1))
    with office.app_context(), session_scope(office) as s:
        series = s.scalar(select(MeetingSeries))
        assert series is not None
        note = "Saal wird renoviert, Ersatztermin folgt"
        series.exceptions.append(
            SeriesException(recurrence_id=datetime.combine(coming, time(17)), cancelled=True, note=note)
        )
    calendar = parse(office.test_client().get("/feeds/gremium/beirat.ics").data)
    master, called_off = sorted(calendar.walk("VEVENT"), key=lambda e: "RECURRENCE-ID" in e)
    assert called_off["RECURRENCE-ID"].dt.replace(tzinfo=None) == datetime.combine(coming, time(17))
    assert str(called_off["SUMMARY"]) == "Abgesagt: Beiratssitzung"
    assert str(called_off["STATUS"]) == "CANCELLED" and str(called_off["TRANSP"]) == "TRANSPARENT"
    assert "Grund: Saal wird renoviert, Ersatztermin folgt" in str(called_off["DESCRIPTION"])
    assert called_off["DTSTART"].dt == called_off["RECURRENCE-ID"].dt  # its original slot
    assert len(master["EXDATE"].dts) == 1  # only the passed one (04.02.) is an EXDATE


def test_unknown_feeds_are_helpful_404s(office: Flask) -> None:
    client = office.test_client()
    page = client.get("/feeds/gremium/beirad.ics").get_data(as_text=True)
    assert "beirad" in page and "beirat" in page  # names the valid choice
    assert client.get("/feeds/person/Int9.ics").status_code == 404


def test_person_feeds_need_their_secret_link_and_reset_revokes_it(office: Flask, run_cli: Any) -> None:
    client = office.test_client()
    assert client.get("/feeds/person/IntB.ics").status_code == 403
    result = run_cli("feed-token", "IntB", "--base-url", "https://kalender.example")
    assert result.exit_code == 0, result.output
    url = re.search(r"https://kalender\.example(/feeds/person/IntB\.ics\?token=\S+)", result.output)
    assert url is not None
    path = url.group(1)
    token = path.split("token=")[1]
    with office.app_context(), session_scope(office) as s:  # only the hash is stored
        assert token not in (s.scalar(select(Person.feed_token_hash).where(Person.code == "IntB")) or "")
    feed = client.get(path)
    assert feed.status_code == 200 and summaries(feed.data) >= {"Beiratssitzung"}
    assert feed.headers["Cache-Control"].startswith("private")
    assert client.get(path[:-2] + "xx").status_code == 403
    vorhaben = client.get(path.replace("/feeds/person/", "/feeds/vorhaben/person/"))
    assert f"/feeds/vorhaben/person/IntB.ics?token={token}" in result.output  # one token, both feeds
    assert vorhaben.status_code == 200 and summaries(vorhaben.data) == {
        "Neuauflage Willkommensbroschüre (im IV. Quartal 2026)"
    }
    assert vorhaben.headers["Cache-Control"].startswith("private")
    assert client.get("/feeds/vorhaben/person/IntB.ics").status_code == 403
    assert summaries(feed.data) == {"Beiratssitzung"}
    assert run_cli("feed-token", "IntB").exit_code == 1  # exists; shown only once
    assert run_cli("feed-token", "IntB", "--reset").exit_code == 0
    assert client.get(path).status_code == 403
    assert run_cli("feed-token", "Nobody").exit_code == 1


def test_export_writes_the_same_bytes_as_the_endpoints(office: Flask, run_cli: Any, tmp_path: Path) -> None:
    result = run_cli("export-feeds", str(tmp_path / "out"), "--base-url", "http://localhost")
    assert result.exit_code == 0, result.output
    client = office.test_client()
    assert (tmp_path / "out" / "all.ics").read_bytes() == client.get("/feeds/all.ics").data
    assert (tmp_path / "out" / "gremium" / "beirat.ics").read_bytes() == client.get("/feeds/gremium/beirat.ics").data
    vorhaben = (tmp_path / "out" / "vorhaben" / "all.ics").read_bytes()
    assert vorhaben == client.get("/feeds/vorhaben/all.ics").data and b"activity-1-0@" in vorhaben
    assert run_cli("export-feeds", str(tmp_path / "meetings"), "--no-fuzzy").exit_code == 0
    assert not (tmp_path / "meetings" / "vorhaben").exists()


def test_subscribe_page_lists_every_public_feed_with_webcal_links(office: Flask) -> None:
    page = office.test_client().get("/feeds/").get_data(as_text=True)
    assert "webcal://localhost/feeds/all.ics" in page
    assert "http://localhost/feeds/gremium/beirat.ics" in page
    assert "webcal://localhost/feeds/vorhaben/all.ics" in page and "http://localhost/feeds/vorhaben/all.ics" in page
    for client in ("Outlook", "Thunderbird", "Apple", "Google"):
        assert client in page
