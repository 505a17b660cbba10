"""Absences and closure days: API (who sees what), the editors' closure page, conflicts and free slots."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.conflicts.service import check_proposal, conflicts_in_window, free_slots
from calsvc.db import session_scope
from calsvc.models import Absence, AuditEntry, ClosureDay, Gremium, MeetingSeries, Membership, Person

from .editing_support import PASSWORD, csrf_from, login, make_token, make_user


def _office(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        intb, int1 = Person(code="IntB", title="Integrationsbeauftragte"), Person(code="Int1", title="Integration 1")
        jf = Gremium(slug="jf", name="Jour fixe")
        jf.memberships.append(Membership(person=intb, role="lead"))
        jf.memberships.append(Membership(person=int1, role="member"))
        s.add_all([intb, int1, jf])
        s.add(MeetingSeries(gremium=jf, title="Jour fixe", dtstart=datetime(2027, 12, 31, 9), duration_minutes=60))


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_absence_api_own_person_sees_the_kind_others_only_abwesend(app: Flask, run_cli: Any, client: Any) -> None:
    _office(app)
    assert run_cli("create-user", "paul", "--role", "viewer", "--person", "Int1", "--password-stdin",
                   input=PASSWORD + "\n").exit_code == 0  # fmt: skip
    token = make_token(run_cli, "paul")
    body = {"person": "Int1", "kind": "fortbildung", "start": "2027-12-30", "end": "2027-12-31", "note": "Kurs"}
    made = client.post("/api/v1/absences", json=body, headers=_auth(token))
    assert made.status_code == 201, made.json
    assert made.json["kind"] == "fortbildung"
    other = client.post("/api/v1/absences", json={**body, "person": "IntB"}, headers=_auth(token))
    assert other.status_code == 403 and other.json["error"]["field"] == "person"
    bad = client.post("/api/v1/absences", json={**body, "kind": "feiern"}, headers=_auth(token))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "kind"
    late = client.post("/api/v1/absences", json={**body, "end": "2027-12-01"}, headers=_auth(token))
    assert late.status_code == 422 and late.json["error"]["field"] == "end"
    public = client.get("/api/v1/absences?from=2027-12-01&to=2028-01-01").json["absences"]
    assert public == [{k: v for k, v in made.json.items() if k not in ("kind", "note")} | {"label": "abwesend"}]
    own = client.get("/api/v1/absences?from=2027-12-01&to=2028-01-01", headers=_auth(token)).json["absences"]
    assert own[0]["kind"] == "fortbildung" and own[0]["note"] == "Kurs"
    assert client.delete(f"/api/v1/absences/{made.json['id']}", headers=_auth(token)).status_code == 204
    with app.app_context(), session_scope(app) as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.object_type == "absence", AuditEntry.action == "delete"))


def test_an_absence_is_changed_by_api_with_if_match_and_the_conflicts_follow(
    app: Flask, run_cli: Any, client: Any
) -> None:
    """PATCH changes the fields sent; stale, invalid and foreign changes are refused and change nothing."""
    _office(app)
    assert run_cli("create-user", "paul", "--role", "viewer", "--person", "Int1", "--password-stdin",
                   input=PASSWORD + "\n").exit_code == 0  # fmt: skip
    token = make_token(run_cli, "paul")
    body = {"person": "Int1", "kind": "urlaub", "start": "2027-12-27", "end": "2027-12-30"}
    made = client.post("/api/v1/absences", json=body, headers=_auth(token)).json
    url, version = f"/api/v1/absences/{made['id']}", made["version"]

    def away_at_jour_fixe() -> bool:
        with app.app_context(), session_scope(app) as s:
            found = conflicts_in_window(s, date(2027, 12, 1), date(2028, 1, 1), person="Int1")
            return any(c.kind == "absence" for c in found)

    assert not away_at_jour_fixe()
    if_match = {**_auth(token), "If-Match": f'"{version}"'}
    longer = client.patch(url, json={"end": "2027-12-31", "end_time": "12:00"}, headers=if_match)
    assert longer.status_code == 200, longer.json
    assert longer.json["end"] == "2027-12-31" and longer.json["end_time"] == "12:00"
    assert longer.json["kind"] == "urlaub" and longer.json["start"] == "2027-12-27"  # not sent: kept
    assert longer.json["version"] == version + 1 and longer.headers["ETag"] == f'"{version + 1}"'
    assert away_at_jour_fixe()  # the Jour fixe on the 31st at 9:00 is now a conflict (kept checks follow)
    stale = client.patch(url, json={"end": "2027-12-28"}, headers=if_match)
    assert stale.status_code == 409 and stale.json["error"]["field"] == "version"
    assert stale.json["error"]["changes"] == {"end": ["2027-12-30", "2027-12-31"], "end_time": [None, "12:00"]}
    fresh = {**_auth(token), "If-Match": f'"{version + 1}"'}
    for change, field in (({"end": "2027-12-01"}, "end"), ({"kind": "feiern"}, "kind"), ({"person": "IntB"}, "person")):
        refused = client.patch(url, json=change, headers=fresh)
        assert refused.status_code == 422 and refused.json["error"]["field"] == field
    assert client.patch(url, json={"end": "2027-12-28"}, headers=_auth(token)).status_code == 428
    with app.app_context(), session_scope(app) as s:  # nothing of the refused changes is saved
        row = s.get(Absence, made["id"])
        assert (
            row is not None
            and row.end_day == date(2027, 12, 31)
            and row.kind == "urlaub"
            and row.version == version + 1
        )
        other = Absence(person=s.scalars(select(Person).where(Person.code == "IntB")).one(), kind="krank",
                        start_day=date(2027, 12, 1), end_day=date(2027, 12, 1))  # fmt: skip
        s.add(other)
        s.flush()
        other_url = f"/api/v1/absences/{other.id}"
    foreign = client.patch(other_url, json={"end": "2027-12-02"}, headers={**_auth(token), "If-Match": '"1"'})
    assert foreign.status_code == 403 and foreign.json["error"]["field"] == "id"
    assert client.patch("/api/v1/absences/999999", json={}, headers=fresh).status_code == 404


def test_absence_makes_a_conflict_that_says_only_abwesend(app: Flask) -> None:
    _office(app)
    with app.app_context(), session_scope(app) as s:
        from calsvc.editing.absences import create_absence

        intb = s.scalar(select(Person).where(Person.code == "IntB"))
        assert intb is not None
        create_absence(s, "t", intb, {"kind": "krank", "start": "2027-12-31"})
    with app.app_context(), session_scope(app) as s:
        found = conflicts_in_window(s, date(2027, 12, 30), date(2028, 1, 2))
        (absent,) = [c for c in found if c.kind == "absence"]
        assert absent.person == "IntB" and absent.severity == "critical"  # the lead is away
        assert "abwesend" in absent.message and "krank" not in absent.message
        # A half day: away from 14:00 only, so a 10:00 proposal is fine, a 15:00 one is not.
        int1 = s.scalar(select(Person).where(Person.code == "Int1"))
        assert int1 is not None
        create_absence(s, "t", int1, {"kind": "dienstreise", "start": "2028-01-04", "start_time": "14:00"})
        ok = check_proposal(s, {"start": "2028-01-04T10:00", "duration": 60, "participants": ["Int1"]})
        assert ok[0].ok
        clash = check_proposal(s, {"start": "2028-01-04T15:00", "duration": 60, "participants": ["Int1"]})
        assert [c.kind for c in clash[0].conflicts] == ["absence"]
        slots = free_slots(s, ["Int1"], 60, date(2028, 1, 4), date(2028, 1, 5))
        assert slots and all(end.hour <= 14 for _, end in slots)


def test_closure_days_by_api_and_page_are_conflicts_and_no_free_slots(app: Flask, run_cli: Any, client: Any) -> None:
    _office(app)
    make_user(run_cli, "erika", "editor")
    token = make_token(run_cli, "erika")
    made = client.post("/api/v1/closures", json={"start": "2027-12-24", "reason": "Heiligabend"}, headers=_auth(token))
    assert made.status_code == 201
    again = client.post("/api/v1/closures", json={"start": "2027-12-24"}, headers=_auth(token))
    assert again.status_code == 422 and again.json["error"]["field"] == "start"
    login(client, "erika")
    page = client.get("/bearbeiten/schliesstage")
    assert page.status_code == 200 and "Heiligabend" in page.get_data(as_text=True)
    sent = client.post("/bearbeiten/schliesstage",
                       data={"csrf_token": csrf_from(page), "start": "2027-12-31", "reason": "Silvester"})  # fmt: skip
    assert sent.status_code == 302
    bad = client.post("/bearbeiten/schliesstage", data={"csrf_token": csrf_from(page), "start": "31.13.2027"})
    assert bad.status_code == 422 and "kein Datum" in bad.get_data(as_text=True)
    listed = client.get("/api/v1/closures?from=2027-12-01&to=2028-01-01").json["closures"]
    assert [c["reason"] for c in listed] == ["Heiligabend", "Silvester"]
    with app.app_context(), session_scope(app) as s:
        found = conflicts_in_window(s, date(2027, 12, 31), date(2028, 1, 1))
        assert [c.kind for c in found] == ["closure"]
        assert "Silvester" in found[0].message
        assert free_slots(s, ["IntB"], 60, date(2027, 12, 31), date(2028, 1, 1)) == []
        closure_id = s.scalar(select(ClosureDay.id).where(ClosureDay.reason == "Silvester"))
    assert client.delete(f"/api/v1/closures/{closure_id}", headers=_auth(token)).status_code == 204
    viewer_token = (make_user(run_cli, "vera", "viewer"), make_token(run_cli, "vera"))[1]
    refused = client.post("/api/v1/closures", json={"start": "2027-12-27"}, headers=_auth(viewer_token))
    assert refused.status_code == 403


def test_the_audit_trail_never_names_the_kind_of_absence(app: Flask, run_cli: Any, client: Any) -> None:
    _office(app)
    make_user(run_cli, "erika", "editor")
    token = make_token(run_cli, "erika")
    body = {"person": "Int1", "kind": "krank", "start": "2027-03-01", "note": "Grippe"}
    made = client.post("/api/v1/absences", json=body, headers=_auth(token))
    assert made.status_code == 201
    trail = client.get(
        "/api/v1/audit", query_string={"object_type": "absence", "object_id": made.json["id"]}, headers=_auth(token)
    )
    assert trail.status_code == 200 and trail.json
    text = json.dumps(trail.json, ensure_ascii=False)
    assert "2027-03-01" in text and "krank" not in text and "Grippe" not in text


def test_the_audit_api_documents_every_object_type_it_answers_for() -> None:
    from calsvc.api.write import OBJECT_TYPE_NAMES, OBJECT_TYPES

    assert tuple(OBJECT_TYPES) == OBJECT_TYPE_NAMES


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/closures",
        "/api/v1/absences",
        "/api/v1/occurrences",
        "/api/v1/conflicts",
        "/api/v1/free-slots?persons=IntB&duration=60",
    ],
)
@pytest.mark.parametrize(
    ("window", "field"),
    [("from=9999-08-04&to=2825-04-05", "from"), ("from=9999-12-31", "from"), ("from=2100-12-31", "to")],
)
def test_windows_at_the_calendars_end_are_refused_naming_the_field(
    client: Any, url: str, window: str, field: str
) -> None:
    """The default ``to`` of a window starting on 31.12.9999 would not exist: a 422, never a 500."""
    answer = client.get(f"{url}{'&' if '?' in url else '?'}{window}")
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert answer.get_json()["error"]["field"] == field
