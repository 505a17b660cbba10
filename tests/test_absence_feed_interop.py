"""A person's feed with their absences (opted in) passes the six parsers like every other feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import Absence, Person
from calsvc.publishing.service import CACHE, FeedRequest, render_feed

from .test_feeds_demo_interop import HOST, all_parsers_agree, engine_rows, published

pytestmark = pytest.mark.interop


def test_absences_in_the_own_feed_expand_identically_in_every_parser(demo_app: Flask) -> None:
    start, end = date(2024, 1, 1), date(2025, 1, 1)
    with demo_app.app_context(), session_scope(demo_app) as s:
        intb = s.scalar(select(Person).where(Person.code == "IntB"))
        assert intb is not None
        intb.feed_absences = True
        vacation = Absence(person=intb, kind="urlaub", start_day=date(2024, 7, 1), end_day=date(2024, 7, 12))
        trip = Absence(
            person=intb,
            kind="dienstreise",
            start_day=date(2024, 10, 28),
            end_day=date(2024, 10, 29),
            start_time=time(13),
            end_time=time(12),
        )
        s.add_all([vacation, trip])
        s.flush()
        ids = vacation.id, trip.id
    request = FeedRequest(scope="person", key="IntB", content="meetings", uid_host=HOST, base_url="https://k.example")
    CACHE.clear()
    with demo_app.app_context(), session_scope(demo_app) as s:
        ics = render_feed(s, request, now=datetime(2024, 6, 1, tzinfo=UTC)).body
        expected = engine_rows(published(s, start, end, date(2024, 6, 1), person="IntB"), start, end)
    CACHE.clear()
    expected |= {
        (f"absence-{ids[0]}@{HOST}", "2024-07-01", "2024-07-13"),
        (f"absence-{ids[1]}@{HOST}", "2024-10-28T12:00:00Z", "2024-10-29T11:00:00Z"),
    }
    assert b"SUMMARY:Abwesend: Urlaub" in ics and b"SUMMARY:Abwesend: Dienstreise" in ics
    all_parsers_agree(ics, expected, start, end)
