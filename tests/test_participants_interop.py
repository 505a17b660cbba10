"""Person feeds with single-date people expand in three clients to exactly the engine's dates of that person."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask

from .interop import parsers
from .test_participants import _auth, _setup

pytestmark = pytest.mark.interop

WINDOW = (date(2027, 3, 1), date(2027, 6, 1))
EXPANDERS = {
    "recurring-ical-events": parsers.expand_recurring_ical_events,
    "libical": parsers.expand_libical,
    "ical.js": parsers.expand_icaljs,
}


def _feed(client: Any, run_cli: Any, code: str) -> bytes:
    result = run_cli("feed-token", code, "--reset", "--base-url", "https://kalender.example")
    match = re.search(r"https://kalender\.example(/feeds/person/\S+\.ics\?token=\S+)", result.output)
    assert match, result.output
    return bytes(client.get(match.group(1)).data)


def _engine(client: Any, code: str) -> set[str]:
    found = client.get(f"/api/v1/occurrences?from={WINDOW[0]}&to={WINDOW[1]}&person={code}").json["occurrences"]
    return {datetime.fromisoformat(o["start"]).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for o in found}


def test_person_feeds_with_single_date_changes_agree_with_the_engine(app: Flask, client: Any, run_cli: Any) -> None:
    token, series = _setup(app, client, run_cli)
    sid = series["id"]
    changes = [
        ("POST", f"/api/v1/series/{sid}/exceptions", {"action": "move", "recurrence_id": "2027-03-23T10:00", "new_start": "2027-03-24T14:00"}),
        ("POST", f"/api/v1/series/{sid}/extra-dates", {"start": "2027-04-20T10:00"}),
        ("POST", f"/api/v1/series/{sid}/attendance", {"recurrence_id": "2027-03-09T10:00", "action": "add", "person": "Int2"}),
        ("POST", f"/api/v1/series/{sid}/attendance", {"recurrence_id": "2027-03-23T10:00", "action": "add", "person": "Int2"}),
        ("POST", f"/api/v1/series/{sid}/attendance", {"recurrence_id": "2027-03-16T10:00", "action": "remove", "person": "Int1"}),
        ("POST", f"/api/v1/series/{sid}/attendance", {"recurrence_id": "2027-04-20T10:00", "action": "remove", "person": "Int1"}),
    ]  # fmt: skip
    for version, (method, url, data) in enumerate(changes, start=1):
        answer = client.open(url, method=method, json=data, headers=_auth(token, **{"If-Match": f'"{version}"'}))
        assert answer.status_code in (200, 201), answer.json
    for code, expected in [("Int2", 2), ("Int1", 5), ("IntB", 7)]:
        feed = _feed(client, run_cli, code)
        engine = _engine(client, code)
        assert len(engine) == expected, (code, sorted(engine))
        for name, expand in EXPANDERS.items():
            starts = {row[1] for row in expand(feed, *WINDOW)}
            assert starts == engine, f"{code} in {name}: only there {starts - engine}, missing {engine - starts}"
