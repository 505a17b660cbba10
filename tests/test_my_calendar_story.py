"""Issue 16, done when: a staff member logs in, takes their feed link into a calendar, enters a
vacation and an outside calendar, and a proposed meeting in that time is flagged with the right reason."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import icalendar
import recurring_ical_events
from flask import Flask

from calsvc.db import session_scope
from calsvc.models import Gremium, MeetingSeries, Membership, Person

from .calendar_server import serve_calendars
from .editing_support import PASSWORD, csrf_from, login

OUTLOOK = """BEGIN:VCALENDAR\r
METHOD:PUBLISH\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
BEGIN:VTIMEZONE\r
TZID:W. Europe Standard Time\r
BEGIN:STANDARD\r
DTSTART:16010101T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:040000008200E00074C5B7101A82E0080000000012345\r
SUMMARY:Gespräch Jobcenter (privat)\r
DTSTART;TZID=W. Europe Standard Time:{day}T140000\r
DTEND;TZID=W. Europe Standard Time:{day}T153000\r
DTSTAMP:20261201T080000Z\r
TRANSP:OPAQUE\r
X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _next_weekday(after: date, weekday: int) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


def test_staff_member_gets_their_calendar_and_conflicts_know_their_time(app: Flask, run_cli: Any) -> None:
    outside_day = _next_weekday(date.today() + timedelta(days=7), 1)  # a Tuesday
    vacation = _next_weekday(outside_day, 3)  # the Thursday after
    with app.app_context(), session_scope(app) as s:
        int1 = Person(code="Int1", title="Koordinatorin für Flüchtlingsfragen")
        intb = Person(code="IntB", title="Integrationsbeauftragte")
        jf = Gremium(slug="jf", name="Jour fixe")
        jf.memberships += [Membership(person=intb, role="lead"), Membership(person=int1, role="member")]
        start = datetime.combine(outside_day - timedelta(days=1), datetime.min.time()).replace(hour=10)
        s.add(MeetingSeries(gremium=jf, title="Jour fixe", dtstart=start, duration_minutes=60, rrule="FREQ=WEEKLY"))
    created = run_cli("create-user", "nadia", "--role", "viewer", "--person", "Int1", "--password-stdin",
                      input=PASSWORD + "\n")  # fmt: skip
    assert created.exit_code == 0, created.output
    client = app.test_client()
    assert login(client, "nadia").status_code == 302

    # 1. My own feed link, shown once, subscribed to and read as a calendar client would.
    page = client.get("/mein")
    token = csrf_from(page)
    answer = client.post("/mein/link", data={"csrf_token": token}).get_data(as_text=True)
    link = answer.split('<code class="secret-link">', 1)[1].split("</code>", 1)[0].replace("&amp;", "&")
    assert link.startswith("http://localhost/feeds/person/Int1.ics?token=")
    feed = app.test_client().get(link.removeprefix("http://localhost"))  # Outlook has no session cookie
    assert feed.status_code == 200 and feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(feed.data)
    assert str(calendar["X-WR-CALNAME"]).startswith("Int1")
    dates = recurring_ical_events.of(calendar).between(outside_day - timedelta(days=1), outside_day)
    assert [str(e["SUMMARY"]) for e in dates] == ["Jour fixe"]

    # 2. A vacation and an outside (Outlook) calendar.
    sent = client.post(
        "/mein/abwesenheiten", data={"csrf_token": token, "kind": "urlaub", "start": vacation.isoformat()}
    )
    assert sent.status_code == 302
    with serve_calendars() as server:
        server.files["nadia.ics"] = OUTLOOK.replace("{day}", outside_day.strftime("%Y%m%d")).encode()
        added = client.post(
            "/mein/kalender", data={"csrf_token": token, "label": "Outlook", "url": server.url("nadia.ics")}
        )
        assert added.status_code == 302
    mine = client.get("/mein").get_data(as_text=True)
    assert "Abgeglichen: 1 belegte Zeiten" in mine

    # 3. Proposals in that time are flagged with the right reason; outside it, none.
    def check(day: date, hour: int) -> list[dict[str, Any]]:
        body = {"start": f"{day.isoformat()}T{hour:02d}:00", "duration": 60, "participants": ["Int1"]}
        result = client.post("/api/v1/conflicts/check", json=body).get_json()
        return [c for occ in result["occurrences"] for c in occ["conflicts"]]

    (busy,) = check(outside_day, 15)
    assert busy["kind"] == "busy" and busy["person"] == "Int1" and "Jobcenter" not in busy["message"]
    (away,) = check(vacation, 9)
    assert away["kind"] == "absence" and "abwesend" in away["message"] and "Urlaub" not in away["message"]
    assert check(outside_day, 11) == []
    slots = client.get(
        "/api/v1/free-slots",
        query_string={"persons": "Int1", "duration": 60, "from": outside_day.isoformat(),
                      "to": (vacation + timedelta(days=1)).isoformat(), "limit": 500},
    ).get_json()["slots"]  # fmt: skip
    starts = {datetime.fromisoformat(s["start"]).replace(tzinfo=None) for s in slots}
    assert datetime.combine(outside_day, datetime.min.time()).replace(hour=14) not in starts
    assert not any(start.date() == vacation for start in starts)
    assert datetime.combine(outside_day, datetime.min.time()).replace(hour=11) in starts
