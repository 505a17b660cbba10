"""The demo's real feeds in six parsers: accepted by all, expanded exactly as calsvc's engine does.

This is the design's quality bar "feeds, agenda, API and conflicts never disagree" made
concrete for subscribers: libical (Evolution), ical.js (Thunderbird) and
recurring-ical-events see the same occurrences (UID, start, end) as calsvc.schedule.engine —
meeting feeds its meetings (cancelled dates that have not passed included, as "Abgesagt"),
Vorhaben feeds its activity spans.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.db import session_scope
from calsvc.models import MeetingSeries
from calsvc.publishing.service import CACHE, FeedRequest, render_feed
from calsvc.schedule.engine import occurrences
from calsvc.schedule.specs import Occurrence
from calsvc.schedule.walltime import BERLIN

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


def published(session: Session, start: date, end: date, today: date, **scope: str) -> list[Occurrence]:
    """What a meeting feed shows as of ``today``: the meetings, and the cancelled dates of running
    series that have not passed yet (they stay as "Abgesagt" overrides at their original slot)."""
    found = occurrences(session, start, end, include_activities=False, include_cancelled=True, **scope)
    gone = {f"series-{i}" for i in session.scalars(select(MeetingSeries.id).where(MeetingSeries.status == "cancelled"))}
    return [o for o in found if not o.cancelled or (o.uid not in gone and o.start.date() >= today)]


def all_parsers_agree(ics: bytes, expected: set[tuple[str, str, str]], start: date, end: date) -> None:
    for parse in (parse_icalendar, parse_vobject, parse_ical_strict):
        assert parse(ics)  # no parser rejects the calendar
    assert expand_recurring_ical_events(ics, start, end) == expected
    assert expand_libical(ics, start, end) == expected
    assert expand_icaljs(ics, start, end) == expected


@pytest.mark.parametrize(("scope", "key"), [("gremium", LAF), ("all", None), ("person", "IntB")])
def test_2024_feeds_expand_identically_in_every_parser(demo_app: Flask, scope: str, key: str | None) -> None:
    """Rendered as of June 2024, so the year's moves, cancellations and extra dates are all in."""
    start, end, today = date(2024, 1, 1), date(2025, 1, 1), date(2024, 6, 1)
    request = FeedRequest(scope=scope, key=key, content="meetings", uid_host=HOST, base_url="https://k.example")  # type: ignore[arg-type]
    CACHE.clear()
    with demo_app.app_context(), session_scope(demo_app) as s:
        ics = render_feed(s, request, now=datetime(2024, 6, 1, tzinfo=UTC)).body
        scoped = {"person": key} if scope == "person" else {"gremium": key} if scope == "gremium" else {}
        found = published(s, start, end, today, **scoped)  # type: ignore[arg-type]
    CACHE.clear()
    expected = engine_rows(found, start, end)
    assert len(expected) > 5
    assert not any(o.kind == "activity" for o in found) and b"activity-" not in ics  # meetings only
    all_parsers_agree(ics, expected, start, end)
    if scope == "gremium":  # the LAF-Jour fixe moved from 09.05. (Himmelfahrt) to 16.05.2024
        starts = {row[1][:10] for row in expected}
        assert "2024-05-16" in starts and "2024-05-09" not in starts
    if scope == "all":  # the demo calls off 23.07.2024: still shown in June, with the reason
        called_off = [e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT") if e.get("STATUS") == "CANCELLED"]
        assert [e.start.date() for e in called_off] == [date(2024, 7, 23)]
        assert str(called_off[0]["SUMMARY"]) == "Abgesagt: Dienstberatung Integration"
        assert "Grund: Beispiel: fällt aus" in str(called_off[0]["DESCRIPTION"])
        assert "2024-07-23" in {row[1][:10] for row in expected}


@pytest.mark.parametrize("key", [None, "IntB"])
def test_vorhaben_feeds_expand_to_the_engines_activity_spans(demo_app: Flask, key: str | None) -> None:
    """The planning items left the meeting feeds for feeds of their own, with the same spans."""
    start, end = date(2024, 1, 1), date(2025, 1, 1)
    scope = "person" if key else "all"
    request = FeedRequest(scope=scope, key=key, content="vorhaben", uid_host=HOST, base_url="https://k.example")
    CACHE.clear()
    with demo_app.app_context(), session_scope(demo_app) as s:
        ics = render_feed(s, request, now=datetime(2024, 6, 1, tzinfo=UTC)).body
        found = [o for o in occurrences(s, start, end, person=key) if o.kind == "activity"]
    CACHE.clear()
    expected = engine_rows(found, start, end)
    assert len(expected) > 5 and b"series-" not in ics and b"X-WR-CALNAME:Vorhaben " in ics
    all_parsers_agree(ics, expected, start, end)


def test_curl_of_todays_feeds_agrees_with_the_engine(demo_app: Flask, run_cli: Any) -> None:
    """What a subscriber fetches today, for the Gremium and the secret person link."""
    token_output = run_cli("feed-token", "Int1").output
    person_path = re.search(r"(/feeds/person/Int1\.ics\?token=\S+)", token_output).group(1)  # type: ignore[union-attr]
    today = datetime.now(UTC).astimezone(BERLIN).date()
    start, end = today - timedelta(days=150), today + timedelta(days=365)
    client = demo_app.test_client()
    for path, kwargs in ((f"/feeds/gremium/{LAF}.ics", {"gremium": LAF}), (person_path, {"person": "Int1"})):
        answer = client.get(path)
        assert answer.status_code == 200
        with demo_app.app_context(), session_scope(demo_app) as s:
            expected = engine_rows(published(s, start, end, today, **kwargs), start, end)
        assert expected
        all_parsers_agree(
            answer.data.replace(b"@calsvc.marzahn-hellersdorf.invalid", b"@" + HOST.encode()), expected, start, end
        )


@pytest.mark.parametrize(
    ("today", "shown"), [(date(2024, 9, 11), True), (date(2024, 9, 12), True), (date(2024, 9, 13), False)]
)
def test_a_cancelled_date_stays_as_abgesagt_until_its_day_has_passed(demo_app: Flask, today: date, shown: bool) -> None:
    from calsvc.models import Gremium, SeriesException

    start, end = date(2024, 1, 1), date(2025, 1, 1)
    request = FeedRequest(scope="gremium", key=LAF, content="meetings", uid_host=HOST, base_url="https://k.example")
    with demo_app.app_context(), session_scope(demo_app) as s:
        series = s.scalar(select(MeetingSeries).join(Gremium).where(Gremium.slug == LAF))
        assert series is not None
        cancelled = SeriesException(recurrence_id=datetime(2024, 9, 12, 14), cancelled=True, note="Raum gesperrt")
        series.exceptions.append(cancelled)
    CACHE.clear()
    with demo_app.app_context(), session_scope(demo_app) as s:
        # 23:30 in Berlin of the day before ``today``'s end: the Berlin day decides, not UTC's
        now = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=21, minutes=30)
        ics = render_feed(s, request, now=now).body
        expected = engine_rows(published(s, start, end, today, gremium=LAF), start, end)
    CACHE.clear()
    exdate = b"EXDATE;TZID=Europe/Berlin:20240912T140000" in ics
    assert exdate is not shown
    assert (b"SUMMARY:Abgesagt: " in ics) is shown and (b"Grund: Raum gesperrt" in ics) is shown
    assert any(row[1].startswith("2024-09-12") for row in expected) is shown
    all_parsers_agree(ics, expected, start, end)
