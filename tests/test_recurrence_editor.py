"""The recurrence editor that never guesses: patterns × ends, months, contradictions, preview, assistant."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.conflicts.ranking import rank_slots
from calsvc.db import session_scope
from calsvc.models import MeetingSeries
from calsvc.schedule.walltime import localize

from .editing_support import csrf_from, login, make_token, make_user
from .test_participants import WEEKLY, _people

START = {"title": "Beirat", "dtstart": "2027-02-03T18:00", "duration_minutes": 120}  # first Wednesday of Feb 2027
CUSTOM = "FREQ=WEEKLY;BYDAY=WE"
ENDS = [({}, ""), ({"until": "2027-10-31"}, ", bis 31.10.2027"), ({"count": 5}, ", 5 Termine")]
PATTERNS = [
    ({"pattern": "weekly"}, "jeden Mittwoch"),
    ({"pattern": "biweekly"}, "jeden zweiten Mittwoch"),
    ({"pattern": "monthly", "nth": 1}, "jeden 1. Mittwoch im Monat"),
    ({"pattern": "bimonthly"}, "jeden 1. Mittwoch jedes zweiten Monats"),
    (
        {"pattern": "monthly", "months": [2, 3, 4, 5, 6, 9, 10, 11, 12]},
        "jeden 1. Mittwoch im Monat außer Januar, Juli und August",
    ),
    ({"pattern": "custom", "rrule": CUSTOM}, "jeden Mittwoch"),
]


def _token(run_cli: Any) -> str:
    make_user(run_cli)
    return make_token(run_cli)


@pytest.mark.parametrize(("pattern", "words"), PATTERNS)
def test_every_pattern_with_every_end_is_saved_and_described(
    client: Any, run_cli: Any, pattern: dict[str, Any], words: str
) -> None:
    token = _token(run_cli)
    for end, end_words in ENDS:
        answer = client.post(
            "/api/v1/series", json={**START, **pattern, **end}, headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 201, (pattern, end, answer.json)
        assert answer.json["rule_text"] == f"{words}, 18:00–20:00{end_words}"
        assert ("UNTIL=20271031" in answer.json["rrule"]) == ("until" in end)
        assert ("COUNT=5" in answer.json["rrule"]) == ("count" in end)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"pattern": "once", "rrule": CUSTOM}, "rrule"),
        ({"pattern": "once", "until": "2027-10-31"}, "until"),
        ({"pattern": "once", "count": 3}, "count"),
        ({"pattern": "weekly", "nth": 1}, "nth"),
        ({"pattern": "once", "months": [2, 3]}, "months"),
        ({"pattern": "custom", "rrule": CUSTOM, "months": [2]}, "months"),
        ({"pattern": "monthly", "skip_summer": True, "months": [2, 3]}, "months"),
        ({"pattern": "weekly", "until": "2027-10-31", "count": 3}, "count"),
        ({"pattern": "weekly", "months": [13]}, "months"),
        ({"pattern": "weekly", "months": [3, 4]}, "dtstart"),  # 3 February is in no chosen month
        ({"months": [2]}, "months"),  # months without a pattern
    ],
)
def test_contradictions_are_refused_naming_the_field(
    client: Any, run_cli: Any, given: dict[str, Any], field: str
) -> None:
    token = _token(run_cli)
    answer = client.post("/api/v1/series", json={**START, **given}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["field"] == field


FORM = {
    "title": "Beirat",
    "gremium": "",
    "date": "2027-02-03",
    "time": "18:00",
    "duration_minutes": "120",
    "status": "confirmed",
    "pattern": "monthly",
    "nth": "1",
    "end_mode": "until",
    "until": "2027-10-31",
    "count": "",
    "rrule": "",
}


def _post(client: Any, **values: Any) -> Any:
    page = client.get("/bearbeiten/serien/neu")
    return client.post("/bearbeiten/serien/neu", data={"csrf_token": csrf_from(page), **FORM, **values})


def _saved(app: Flask) -> list[MeetingSeries]:
    with app.app_context(), session_scope(app) as s:
        return list(s.scalars(select(MeetingSeries)))


def test_the_form_takes_any_months_and_refuses_what_it_cannot_honour(app: Flask, client: Any, run_cli: Any) -> None:
    make_user(run_cli)
    login(client)
    for values, field, message in [
        ({"end_mode": "none"}, "until", "„Ende am“ ist ausgefüllt"),
        (
            {"pattern": "once", "nth": "", "end_mode": "none", "until": "", "rrule": CUSTOM},
            "rrule",
            "passt nicht zum Muster",
        ),
        ({"end_mode": "until", "until": ""}, "until", "bitte den Wert eintragen"),
        ({"end_mode": "count", "until": "", "count": "x"}, "count", ""),
    ]:
        refused = _post(client, **values)
        text = refused.get_data(as_text=True)
        assert refused.status_code == 422, values
        assert f'id="e-{field}"' in text and message in text, (values, text[:3000])
    assert _saved(app) == []
    months = [str(m) for m in (2, 3, 4, 5, 6, 9, 10, 11, 12)]
    saved = _post(client, months=months)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    (series,) = _saved(app)
    assert series.rrule == "FREQ=MONTHLY;BYMONTH=2,3,4,5,6,9,10,11,12;BYDAY=1WE;UNTIL=20271031"
    page = client.get(f"/bearbeiten/serien/{series.id}").get_data(as_text=True)
    assert "jeden 1. Mittwoch im Monat außer Januar, Juli und August, 18:00–20:00, bis 31.10.2027" in page
    assert 'name="months" value="2" checked' in page and 'name="months" value="7" checked' not in page


def test_the_preview_answers_with_words_and_dates(client: Any) -> None:
    query = "dtstart=2027-02-03T18:00&duration_minutes=120&pattern=monthly&months=2,3,4,5,6,9,10,11,12"
    answer = client.get(f"/api/v1/recurrence/preview?{query}&end_mode=count&count=4&limit=3")
    assert answer.status_code == 200, answer.json
    assert (
        answer.json["rule_text"] == "jeden 1. Mittwoch im Monat außer Januar, Juli und August, 18:00–20:00, 4 Termine"
    )
    assert answer.json["dates"] == ["2027-02-03T18:00:00", "2027-03-03T18:00:00", "2027-04-07T18:00:00"]
    everything = client.get(f"/api/v1/recurrence/preview?{query}&end_mode=count&count=4&limit=50").json["dates"]
    assert len(everything) == 4
    wrong = client.get(f"/api/v1/recurrence/preview?{query}&end_mode=none&count=4")
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "count"
    too_many = client.get(f"/api/v1/recurrence/preview?{query}&limit=51")
    assert too_many.status_code == 422 and too_many.json["error"]["field"] == "limit"
    document = client.get("/api/v1/openapi.json").json
    operation = next(v for k, v in document["paths"].items() if k.endswith("/recurrence/preview"))["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"dtstart", "pattern", "months", "end_mode", "limit"}


def test_the_form_previews_without_javascript_and_saves_nothing(app: Flask, client: Any, run_cli: Any) -> None:
    make_user(run_cli)
    login(client)
    shown = _post(client, preview="1", title="")
    text = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "jeden 1. Mittwoch im Monat, 18:00–20:00, bis 31.10.2027" in text
    assert "Mi, 03.02.2027, 18:00" in text and "Mi, 03.03.2027, 18:00" in text
    contradiction = _post(client, preview="1", end_mode="none").get_data(as_text=True)
    assert "„Ende am“ ist ausgefüllt" in contradiction
    assert _saved(app) == []


def test_the_assistant_offers_free_slots_and_a_click_fills_the_date(app: Flask, client: Any, run_cli: Any) -> None:
    _people(app)
    token = _token(run_cli)
    # IntB leads the Dienstberatung, Tuesdays 10:00–11:00 from 02.03.2027
    assert client.post("/api/v1/series", json=WEEKLY, headers={"Authorization": f"Bearer {token}"}).status_code == 201
    login(client)
    values = {
        "pattern": "once", "end_mode": "none", "until": "", "date": "2027-03-09", "time": "",
        "duration_minutes": "60", "participants": ["IntB"], "people_shown": "1",
        "assistant_from": "2027-03-09", "assistant_to": "2027-03-09", "assistant_hours": "09:00-12:00",
    }  # fmt: skip
    found = _post(client, assistant="1", **values)
    text = found.get_data(as_text=True)
    assert found.status_code == 200, text[:2000]
    slots = re.findall(r'name="slot" value="([^"]+)"', text)
    assert slots == ["2027-03-09T09:00", "2027-03-09T11:00"]  # not during the Dienstberatung 10:00–11:00
    chosen = _post(client, slot="2027-03-09T11:00", **values).get_data(as_text=True)
    assert 'id="f-time" name="time" type="time" value="11:00"' in chosen
    assert _saved(app)[0].title == "Dienstberatung"  # nothing new saved
    wrong = _post(client, assistant="1", **{**values, "assistant_hours": "18-8"}).get_data(as_text=True)
    assert "HH:MM-HH:MM" in wrong


def test_ranking_spreads_slots_over_days_full_hours_first() -> None:
    day = datetime(2027, 3, 9, 8)
    slots = [
        (localize(day + timedelta(minutes=15 * i)), localize(day + timedelta(minutes=15 * i + 60))) for i in range(8)
    ]
    later = [(s + timedelta(days=1), e + timedelta(days=1)) for s, e in slots]
    ranked = rank_slots(slots + later, per_day=2, limit=3)
    assert [f"{s:%d %H:%M}" for s, _ in ranked] == ["09 08:00", "09 09:00", "10 08:00"]


def test_the_agenda_details_say_how_a_meeting_repeats(client: Any, run_cli: Any) -> None:
    token = _token(run_cli)
    beirat = {**START, "pattern": "monthly", "months": [2, 3, 4, 5, 6, 9, 10, 11, 12], "until": "2027-10-31"}
    assert client.post("/api/v1/series", json=beirat, headers={"Authorization": f"Bearer {token}"}).status_code == 201
    page = client.get("/agenda/2027/03").get_data(as_text=True)
    assert (
        "<dt>Wiederholung</dt><dd>jeden 1. Mittwoch im Monat außer Januar, Juli und August, 18:00–20:00, bis 31.10.2027</dd>"
        in page
    )
