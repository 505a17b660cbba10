"""The demo's real feeds in six parsers: accepted by all, expanded exactly as calsvc's engine does.

This is the design's quality bar "feeds, agenda, API and conflicts never disagree" made
concrete for subscribers: libical (Evolution), ical.js (Thunderbird) and
recurring-ical-events see the same occurrences (UID, start, end) as calsvc.schedule.engine.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from calsvc.db import session_scope
from calsvc.publishing.service import CACHE, FeedRequest, render_feed
from calsvc.schedule.engine import occurrences
from calsvc.schedule.specs import Occurrence

from .interop.parsers import (
    expand_icaljs,
    expand_libical,
    expand_recurring_ical_events,
    parse_ical_strict,
    parse_icalendar,
    parse_vobject,
)

pytestmark = pytest.mark.interop
HOST = "test.calsvc"
LAF = "jour-fixe-der-laf-unterkuenfte"


def engine_rows(found: list[Occurrence], start: date, end: date) -> set[tuple[str, str, str]]:
    """The engine's occurrences in the parsers' shape, by start in ``[start, end)``."""
    rows = set()
    for o in found:
        if o.all_day:
            row = (f"{o.uid}@{HOST}", o.first_day.isoformat(), (o.last_day + timedelta(days=1)).isoformat())
        else:
            fmt = "%Y-%m-%dT%H:%M:%SZ"
            row = (f"{o.uid}@{HOST}", o.start.astimezone(UTC).strftime(fmt), o.end.astimezone(UTC).strftime(fmt))
        if start.isoformat() <= row[1] < end.isoformat():
            rows.add(row)
    return rows


def all_parsers_agree(ics: bytes, expected: set[tuple[str, str, str]], start: date, end: date) -> None:
    for parse in (parse_icalendar, parse_vobject, parse_ical_strict):
        assert parse(ics)  # no parser rejects the calendar
    assert expand_recurring_ical_events(ics, start, end) == expected
    assert expand_libical(ics, start, end) == expected
    assert expand_icaljs(ics, start, end) == expected


@pytest.mark.parametrize(("scope", "key"), [("gremium", LAF), ("all", None), ("person", "IntB")])
def test_2024_feeds_expand_identically_in_every_parser(demo_app: Flask, scope: str, key: str | None) -> None:
    """Rendered as of June 2024, so the year's moves, cancellations and extra dates are all in."""
    start, end = date(2024, 1, 1), date(2025, 1, 1)
    request = FeedRequest(scope=scope, key=key, with_activities=True, uid_host=HOST, base_url="https://k.example")  # type: ignore[arg-type]
    CACHE.clear()
    with demo_app.app_context(), session_scope(demo_app) as s:
        ics = render_feed(s, request, now=datetime(2024, 6, 1, tzinfo=UTC)).body
        found = occurrences(
            s, start, end, person=key if scope == "person" else None, gremium=key if scope == "gremium" else None
        )
    CACHE.clear()
    expected = engine_rows(found, start, end)
    assert len(expected) > 5
    all_parsers_agree(ics, expected, start, end)
    if scope == "gremium":  # the LAF-Jour fixe moved from 09.05. (Himmelfahrt) to 16.05.2024
        starts = {row[1][:10] for row in expected}
        assert "2024-05-16" in starts and "2024-05-09" not in starts


def test_curl_of_todays_feeds_agrees_with_the_engine(demo_app: Flask, run_cli: Any) -> None:
    """What a subscriber fetches today, for the Gremium and the secret person link."""
    token_output = run_cli("feed-token", "Int1").output
    person_path = re.search(r"(/feeds/person/Int1\.ics\?token=\S+)", token_output).group(1)  # type: ignore[union-attr]
    today = datetime.now(UTC).date()
    start, end = today - timedelta(days=150), today + timedelta(days=365)
    client = demo_app.test_client()
    for path, kwargs in ((f"/feeds/gremium/{LAF}.ics", {"gremium": LAF}), (person_path, {"person": "Int1"})):
        answer = client.get(path)
        assert answer.status_code == 200
        with demo_app.app_context(), session_scope(demo_app) as s:
            expected = engine_rows(occurrences(s, start, end, **kwargs), start, end)
        assert expected
        all_parsers_agree(
            answer.data.replace(b"@calsvc.marzahn-hellersdorf.invalid", b"@" + HOST.encode()), expected, start, end
        )


def test_cancelling_one_occurrence_removes_it_in_every_expansion(demo_app: Flask) -> None:
    from sqlalchemy import select

    from calsvc.models import Gremium, MeetingSeries, SeriesException

    start, end = date(2024, 1, 1), date(2025, 1, 1)
    request = FeedRequest(scope="gremium", key=LAF, with_activities=False, uid_host=HOST, base_url="https://k.example")
    with demo_app.app_context(), session_scope(demo_app) as s:
        series = s.scalar(select(MeetingSeries).join(Gremium).where(Gremium.slug == LAF))
        series.exceptions.append(SeriesException(recurrence_id=datetime(2024, 9, 12, 14), cancelled=True))
    with demo_app.app_context(), session_scope(demo_app) as s:
        ics = render_feed(s, request, now=datetime(2024, 6, 1, tzinfo=UTC)).body
        expected = engine_rows(occurrences(s, start, end, gremium=LAF), start, end)
    assert not any(row[1].startswith("2024-09-12") for row in expected)
    assert b"EXDATE;TZID=Europe/Berlin:20240912T140000" in ics
    all_parsers_agree(ics, expected, start, end)
