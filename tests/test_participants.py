"""Participants of meetings: persons and guests per series, "nur an diesem Termin", feeds, conflicts, invitations."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import icalendar
import recurring_ical_events
from flask import Flask

from calsvc.db import session_scope
from calsvc.editing.participants import Invitee, invitees
from calsvc.models import Gremium, MeetingSeries, Membership, Person, Role

from .editing_support import make_token, make_user

WEEKLY = {
    "title": "Dienstberatung",
    "gremium": "dienstberatung",
    "dtstart": "2027-03-02T10:00",
    "duration_minutes": 60,
    "pattern": "weekly",
    "count": 6,
}


def _people(app: Flask) -> None:
    with session_scope(app) as s:
        persons = {
            code: Person(code=code, title=code, name=name, email=mail)
            for code, name, mail in [
                ("IntB", "Irina Warkentin", "irina@example.org"),
                ("Int1", "Ida Eins", None),
                ("Int2", None, None),
            ]
        }
        s.add_all(persons.values())
        gremium = Gremium(slug="dienstberatung", name="Dienstberatung")
        gremium.memberships = [
            Membership(person=persons["IntB"], role=Role.LEAD.value),
            Membership(person=persons["Int1"], role=Role.MEMBER.value),
        ]
        s.add(gremium)


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _setup(app: Flask, client: Any, run_cli: Any) -> tuple[str, dict[str, Any]]:
    _people(app)
    make_user(run_cli)
    token = make_token(run_cli)
    created = client.post("/api/v1/series", json=WEEKLY, headers=_auth(token))
    assert created.status_code == 201, created.json
    return token, created.json


def _feed_dates(client: Any, run_cli: Any, code: str) -> list[datetime]:
    result = run_cli("feed-token", code, "--reset", "--base-url", "https://kalender.example")
    match = re.search(r"https://kalender\.example(/feeds/person/\S+\.ics\?token=\S+)", result.output)
    assert match, result.output
    body = client.get(match.group(1)).data
    calendar = icalendar.Calendar.from_ical(body)
    found = recurring_ical_events.of(calendar).between(date(2027, 3, 1), date(2027, 5, 1))
    return sorted(e["DTSTART"].dt.replace(tzinfo=None) for e in found)


def test_a_series_defaults_to_the_gremium_and_takes_persons_and_guests(app: Flask, client: Any, run_cli: Any) -> None:
    token, series = _setup(app, client, run_cli)
    assert series["participants"] == ["IntB", "Int1"] and series["participants_default"] is True
    sid = series["id"]
    patch = {"participants": ["Int2", "IntB"], "guests": [{"name": "Anna Gast", "email": "anna@example.org"}]}
    changed = client.patch(f"/api/v1/series/{sid}", json=patch, headers=_auth(token, **{"If-Match": '"1"'}))
    assert changed.status_code == 200, changed.json
    assert sorted(changed.json["participants"]) == ["Int2", "IntB"] and not changed.json["participants_default"]
    assert changed.json["guests"] == [{"id": 1, "name": "Anna Gast", "email": "anna@example.org", "organisation": ""}]
    back = client.patch(
        f"/api/v1/series/{sid}", json={"participants": None}, headers=_auth(token, **{"If-Match": '"2"'})
    )
    assert back.json["participants"] == ["IntB", "Int1"] and back.json["participants_default"] is True
    anonymous = client.get(f"/api/v1/series/{sid}").json["guests"]
    assert anonymous == [{"id": 1, "name": "Anna Gast", "email": None, "organisation": ""}]  # no addresses
    known = client.get(f"/api/v1/series/{sid}", headers=_auth(token)).json["guests"]
    assert known[0]["email"] == "anna@example.org"
    history = client.get(f"/api/v1/audit?object_type=series&object_id={sid}", headers=_auth(token)).json["entries"]
    assert history[1]["changes"]["guests"] == [[], ["Anna Gast <anna@example.org>"]]
    assert history[1]["changes"]["participants"] == [None, ["Int2", "IntB"]]


def test_bad_people_are_refused_naming_the_field(app: Flask, client: Any, run_cli: Any) -> None:
    token, series = _setup(app, client, run_cli)
    sid = series["id"]
    for patch, field in [
        ({"participants": ["Niemand"]}, "participants"),
        ({"guests": [{"name": "", "email": "a@b.de"}]}, "guests"),
        ({"guests": [{"name": "Anna", "email": "kein-mail"}]}, "guests"),
        ({"guests": [{"name": "Anna"}, {"name": "Anna"}]}, "guests"),
    ]:
        answer = client.patch(f"/api/v1/series/{sid}", json=patch, headers=_auth(token, **{"If-Match": '"1"'}))
        assert answer.status_code == 422, (patch, answer.json)
        assert answer.json["error"]["field"] == field
    assert client.get(f"/api/v1/series/{sid}").json["version"] == 1


def test_a_meeting_without_gremium_counts_in_conflicts_feeds_and_filters(app: Flask, client: Any, run_cli: Any) -> None:
    token, _ = _setup(app, client, run_cli)
    adhoc = {
        "title": "Abstimmung Träger",
        "dtstart": "2027-03-09T10:30",
        "duration_minutes": 60,
        "participants": ["IntB"],
        "guests": "Anna Gast; anna@example.org; Verein Brücke",
    }
    refused = client.post("/api/v1/series", json=adhoc, headers=_auth(token))
    assert refused.status_code == 409 and any("IntB" in c for c in refused.json["error"]["conflicts"])
    saved = client.post("/api/v1/series", json={**adhoc, "confirm_conflicts": True}, headers=_auth(token))
    assert saved.status_code == 201 and saved.json["guests"][0]["organisation"] == "Verein Brücke"
    mine = client.get("/api/v1/occurrences?from=2027-03-09&to=2027-03-10&person=IntB").json["occurrences"]
    assert {o["title"] for o in mine} == {"Dienstberatung", "Abstimmung Träger"}
    conflicts = client.get("/api/v1/conflicts?from=2027-03-09&to=2027-03-10&person=IntB").json["conflicts"]
    assert any(c["kind"] == "overlap" for c in conflicts)
    check = {"start": "2027-03-09T11:00", "duration": 30, "participants": ["IntB"]}
    assert not client.post("/api/v1/conflicts/check", json=check).json["ok"]
    assert datetime(2027, 3, 9, 10, 30) in _feed_dates(client, run_cli, "IntB")


def test_someone_added_for_one_date_gets_only_that_date(app: Flask, client: Any, run_cli: Any) -> None:
    token, series = _setup(app, client, run_cli)
    sid = series["id"]
    add = {"recurrence_id": "2027-03-16T10:00", "action": "add", "person": "Int2"}
    answer = client.post(f"/api/v1/series/{sid}/attendance", json=add, headers=_auth(token, **{"If-Match": '"1"'}))
    assert answer.status_code == 200, answer.json
    assert answer.json["attendance"][0]["person"] == "Int2" and answer.json["attendance"][0]["present"]
    assert _feed_dates(client, run_cli, "Int2") == [datetime(2027, 3, 16, 10)]
    occurrences = client.get("/api/v1/occurrences?from=2027-03-01&to=2027-05-01&person=Int2").json["occurrences"]
    assert [o["start"][:16] for o in occurrences] == ["2027-03-16T10:00"]
    everybody = client.get("/api/v1/occurrences?from=2027-03-16&to=2027-03-17").json["occurrences"]
    assert everybody[0]["participants"] == ["IntB", "Int1", "Int2"]
    again = client.post(f"/api/v1/series/{sid}/attendance", json=add, headers=_auth(token, **{"If-Match": '"2"'}))
    assert again.status_code == 422 and again.json["error"]["field"] == "person"


def test_someone_missing_one_date_loses_only_that_date(app: Flask, client: Any, run_cli: Any) -> None:
    token, series = _setup(app, client, run_cli)
    sid = series["id"]
    remove = {"recurrence_id": "2027-03-23T10:00", "action": "remove", "person": "Int1"}
    answer = client.post(f"/api/v1/series/{sid}/attendance", json=remove, headers=_auth(token, **{"If-Match": '"1"'}))
    assert answer.status_code == 200, answer.json
    dates = _feed_dates(client, run_cli, "Int1")
    assert datetime(2027, 3, 23, 10) not in dates and len(dates) == 5
    assert len(_feed_dates(client, run_cli, "IntB")) == 6
    not_a_date = {**remove, "recurrence_id": "2027-03-24T10:00"}
    wrong = client.post(
        f"/api/v1/series/{sid}/attendance", json=not_a_date, headers=_auth(token, **{"If-Match": '"2"'})
    )
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "recurrence_id"
    both = {**remove, "action": "add", "person": "Int2", "name": "Gast"}
    wrong = client.post(f"/api/v1/series/{sid}/attendance", json=both, headers=_auth(token, **{"If-Match": '"2"'}))
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "name"
    change = client.get(f"/api/v1/series/{sid}").json["attendance"][0]["id"]
    undo = {"recurrence_id": "2027-03-23T10:00", "action": "undo", "change": change}
    assert (
        client.post(
            f"/api/v1/series/{sid}/attendance", json=undo, headers=_auth(token, **{"If-Match": '"2"'})
        ).status_code
        == 200
    )
    assert len(_feed_dates(client, run_cli, "Int1")) == 6


def test_adding_a_person_to_a_date_is_checked_for_conflicts(app: Flask, client: Any, run_cli: Any) -> None:
    token, series = _setup(app, client, run_cli)
    other = {"title": "Beirat", "dtstart": "2027-03-16T10:30", "duration_minutes": 60, "participants": ["Int2"]}
    assert client.post("/api/v1/series", json=other, headers=_auth(token)).status_code == 201
    add = {"recurrence_id": "2027-03-16T10:00", "action": "add", "person": "Int2"}
    sid = series["id"]
    refused = client.post(f"/api/v1/series/{sid}/attendance", json=add, headers=_auth(token, **{"If-Match": '"1"'}))
    assert refused.status_code == 409 and any("Int2" in c for c in refused.json["error"]["conflicts"])
    assert client.get(f"/api/v1/series/{sid}").json["attendance"] == []
    confirmed = {**add, "confirm_conflicts": True}
    saved = client.post(f"/api/v1/series/{sid}/attendance", json=confirmed, headers=_auth(token, **{"If-Match": '"1"'}))
    assert saved.status_code == 200 and saved.json["confirmed_conflicts"]


def test_invitees_list_persons_and_guests_of_the_series_or_one_date(app: Flask, client: Any, run_cli: Any) -> None:
    token, series = _setup(app, client, run_cli)
    sid = series["id"]
    headers = _auth(token, **{"If-Match": '"1"'})
    client.patch(f"/api/v1/series/{sid}", json={"guests": "Anna Gast; anna@example.org; Verein"}, headers=headers)
    guest = {"recurrence_id": "2027-03-09T10:00", "action": "add", "name": "Bert Besuch", "email": "bert@example.org"}
    assert (
        client.post(
            f"/api/v1/series/{sid}/attendance", json=guest, headers=_auth(token, **{"If-Match": '"2"'})
        ).status_code
        == 200
    )
    away = {"recurrence_id": "2027-03-09T10:00", "action": "remove", "guest": 1}
    assert (
        client.post(
            f"/api/v1/series/{sid}/attendance", json=away, headers=_auth(token, **{"If-Match": '"3"'})
        ).status_code
        == 200
    )
    with app.app_context(), session_scope(app) as s:
        meeting = s.get(MeetingSeries, sid)
        assert meeting is not None
        assert invitees(meeting) == [
            Invitee("Irina Warkentin", "irina@example.org", person_code="IntB"),
            Invitee("Ida Eins", None, person_code="Int1"),
            Invitee("Anna Gast", "anna@example.org", "Verein"),
        ]
        on_date = invitees(meeting, datetime(2027, 3, 9, 10))
        assert [i.name for i in on_date] == ["Irina Warkentin", "Ida Eins", "Bert Besuch"]


def test_backup_carries_guests_and_single_date_changes(
    app: Flask, second_app: Flask, client: Any, run_cli: Any
) -> None:
    from calsvc.admin.backup import dump, restore

    token, series = _setup(app, client, run_cli)
    sid = series["id"]
    client.patch(
        f"/api/v1/series/{sid}",
        json={"guests": "Anna Gast; anna@example.org"},
        headers=_auth(token, **{"If-Match": '"1"'}),
    )
    add = {"recurrence_id": "2027-03-16T10:00", "action": "add", "person": "Int2"}
    assert (
        client.post(
            f"/api/v1/series/{sid}/attendance", json=add, headers=_auth(token, **{"If-Match": '"2"'})
        ).status_code
        == 200
    )
    with session_scope(app) as s:
        data = dump(s)
    assert data["tables"]["series_guest"] and data["tables"]["attendance_change"]
    with session_scope(second_app) as s:
        restore(s, data)
    answer = second_app.test_client().get(f"/api/v1/series/{sid}").json
    assert answer["guests"][0]["name"] == "Anna Gast" and answer["attendance"][0]["person"] == "Int2"


def test_the_people_of_a_removed_extra_date_go_with_it(app: Flask, client: Any, run_cli: Any) -> None:
    token, series = _setup(app, client, run_cli)
    sid = series["id"]
    extra = client.post(
        f"/api/v1/series/{sid}/extra-dates",
        json={"start": "2027-04-20T10:00"},
        headers=_auth(token, **{"If-Match": '"1"'}),
    ).json["extra_dates"][0]["id"]
    add = {"recurrence_id": "2027-04-20T10:00", "action": "add", "person": "Int2"}
    assert (
        client.post(
            f"/api/v1/series/{sid}/attendance", json=add, headers=_auth(token, **{"If-Match": '"2"'})
        ).status_code
        == 200
    )
    assert _feed_dates(client, run_cli, "Int2") == [datetime(2027, 4, 20, 10)]
    gone = client.delete(f"/api/v1/series/{sid}/extra-dates/{extra}", headers=_auth(token, **{"If-Match": '"3"'}))
    assert gone.status_code == 204
    assert client.get(f"/api/v1/series/{sid}").json["attendance"] == []
    assert _feed_dates(client, run_cli, "Int2") == []
