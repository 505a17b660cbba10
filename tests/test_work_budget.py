"""The work budget: hostile rules are refused before expansion, every request expands a bounded
number of occurrences, and wall times that do not exist never turn into 500s.

Regression tests for the findings of the work-budget issue; work is counted (occurrences
expanded, rules searched), never timed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc import create_app
from calsvc.db import session_scope
from calsvc.errors import RecurrenceError
from calsvc.models import ExtraDate, Gremium, MeetingSeries
from calsvc.publishing.problems import left_out
from calsvc.schedule.budget import MAX_COUNT, BudgetExceeded, budget, counting
from calsvc.schedule.engine import expand
from calsvc.schedule.rrule import expand_rule, last_start, normalize_rrule
from calsvc.schedule.specs import SeriesSpec
from calsvc.schedule.walltime import localize, wall_time_problem

START = datetime(2024, 1, 9, 10)  # a Tuesday
GAP = datetime(2027, 3, 28, 2, 30)  # Europe/Berlin jumps from 02:00 to 03:00
FOLD = datetime(2026, 10, 25, 2, 30)  # 02:00–02:59 happens twice


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL muss eine ganze Zahl von 1 bis 100"),  # finding 1: hung a worker
        ("FREQ=DAILY;INTERVAL=-1", "INTERVAL"),
        ("FREQ=DAILY;INTERVAL=99999999999999999999", "INTERVAL"),  # finding 13: 20 digits
        ("FREQ=DAILY;INTERVAL=²", "INTERVAL"),  # finding 13: a digit that int() reads, isdigit() too
        ("FREQ=DAILY;COUNT=1000000000", "COUNT"),  # finding 3
        ("FREQ=DAILY;COUNT=0", "COUNT"),
        ("FREQ=WEEKLY;UNTIL=20450101", "zehn Jahre"),  # finding 3: UNTIL bounded
        ("FREQ=WEEKLY;COUNT=600", "über zehn Jahre"),  # the 600th Tuesday is in 2035
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6", "keinen einzigen Termin"),  # finding 1: never occurs
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "keinen einzigen Termin"),  # finding 1
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY"),
        ("FREQ=MONTHLY;BYMONTH=13", "BYMONTH"),
        ("FREQ=MONTHLY;BYDAY=9MO", "BYDAY"),
        ("FREQ=WEEKLY;WKST=XX", "WKST"),
    ],
)
def test_hostile_rules_are_refused_before_any_expansion(rule: str, fragment: str) -> None:
    with budget() as meter, pytest.raises(RecurrenceError) as refused:
        normalize_rrule(rule, START)
    assert refused.value.field == "rrule" and fragment in refused.value.message
    assert meter.used <= MAX_COUNT + 1  # at most ten years of dates were looked at


def test_rules_within_the_budget_are_kept() -> None:
    assert normalize_rrule("FREQ=DAILY;COUNT=3653", START) == f"FREQ=DAILY;COUNT={MAX_COUNT}"
    assert normalize_rrule("FREQ=WEEKLY;INTERVAL=2;UNTIL=20331231", START).endswith("UNTIL=20331231")
    assert normalize_rrule("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1", START)


def test_every_expanded_start_is_counted_and_the_budget_refuses_more() -> None:
    spec = SeriesSpec(id=1, title="Täglich", dtstart=START, duration=timedelta(minutes=30), rrule="FREQ=DAILY")
    with budget(limit=400) as meter:
        found = expand([spec], [], date(2024, 1, 1), date(2025, 1, 1))
        assert len(found) == 358 and meter.used == 358
        with counting() as block:  # a block's work is counted inside a budget and outside one
            expand([spec], [], date(2024, 2, 1), date(2024, 2, 8))
        assert block.used == 7 and meter.used == 365
        with pytest.raises(BudgetExceeded) as over:
            expand([spec], [], date(2024, 1, 1), date(2025, 1, 1))
    assert over.value.http_status == 422 and "kürzeren Zeitraum" in over.value.message
    with counting() as command:  # outside any budget: counted, never refused
        expand([spec], [], date(2024, 3, 1), date(2024, 3, 8))
    assert command.used == 7


def test_last_start_of_a_stored_huge_count_lists_no_more_than_the_budget() -> None:
    """Finding 3: ``last_start`` listed every start of COUNT=10^9 (stored before the budget)."""
    assert last_start("FREQ=DAILY;COUNT=1000000000", START) is None  # treated as endless
    assert last_start("FREQ=DAILY;COUNT=3", START) == START + timedelta(days=2)
    assert last_start("FREQ=WEEKLY;UNTIL=20990101", START) is not None  # searched to ten years only


@pytest.mark.parametrize(("moment", "fragment"), [(GAP, "Nächste gültige Zeit: 03:00"), (FOLD, "01:59 Uhr oder 03:00")])
def test_wall_times_that_do_not_exist_or_exist_twice_are_refused(moment: datetime, fragment: str) -> None:
    problem = wall_time_problem(moment)
    assert problem is not None and fragment in problem
    assert wall_time_problem(moment.replace(hour=3)) is None


def test_a_computed_start_in_the_gap_means_the_moment_after_it() -> None:
    """RFC 5545 3.3.5: a nonexistent local time is read with the offset before the gap."""
    spec = SeriesSpec(
        id=1, title="Früh", dtstart=GAP - timedelta(days=7), duration=timedelta(minutes=30), rrule="FREQ=WEEKLY"
    )
    (occ,) = expand([spec], [], GAP.date(), GAP.date() + timedelta(days=1))
    assert occ.start == localize(GAP) and f"{occ.start:%H:%M%z}" == "03:30+0200"
    assert occ.end - occ.start == timedelta(minutes=30)
    assert expand_rule(spec.rrule, spec.dtstart, GAP, GAP) == [GAP]


def test_proposals_at_a_missing_time_get_a_422_naming_the_field(demo_app: Flask) -> None:
    body = {"start": GAP.isoformat(), "duration": 30, "participants": ["IntB"]}
    answer = demo_app.test_client().post("/api/v1/conflicts/check", json=body)
    assert answer.status_code == 422
    assert answer.json["error"]["field"] == "start" and "03:00" in answer.json["error"]["message"]


def test_an_expensive_proposal_is_refused_not_computed(demo_app: Flask) -> None:
    """Finding 6: a week-long daily meeting for five years with five people took 12 s and 122 MB."""
    client = demo_app.test_client()
    body = {
        "start": "2024-01-08T09:00",
        "duration": 7 * 24 * 60,
        "rrule": "FREQ=DAILY",
        "window_end": "2028-12-31",
        "participants": ["IntB", "Int1", "Int2", "BA", "SozL"],
    }
    too_many = client.post("/api/v1/conflicts/check", json=body)
    assert too_many.status_code == 422 and too_many.json["error"]["field"] == "window_end"
    overlapping = client.post("/api/v1/conflicts/check", json={**body, "window_end": "2024-06-30"})
    assert overlapping.status_code == 422 and overlapping.json["error"]["field"] == "duration"


def test_one_request_expands_at_most_its_budget(tmp_path: Any, app: Flask) -> None:
    from calsvc.plan.demo import load_demo

    url = app.config["DATABASE_URL"]
    with app.app_context(), session_scope(app) as s:
        load_demo(s)
    small = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "CALSVC_REQUEST_OCCURRENCES": 50})
    client = small.test_client()
    month = client.get("/api/v1/occurrences", query_string={"from": "2024-05-01", "to": "2024-05-08"})
    assert month.status_code == 200
    years = client.get("/api/v1/occurrences", query_string={"from": "2024-01-01", "to": "2026-01-01"})
    assert years.status_code == 422 and years.json["error"]["code"] == "too_much_work"
    assert client.get("/healthz").status_code == 200  # the next request has a fresh budget
    small.extensions["calsvc.engine"].dispose()


def _stored_badly(app: Flask, **series: Any) -> int:
    """A series written past validation (as older versions or a restored backup might hold it)."""
    with app.app_context(), session_scope(app) as s:
        gremium = s.scalar(select(Gremium).where(Gremium.slug == "beirat-fuer-partizipation-und-integration"))
        row = MeetingSeries(
            title="Altlast", duration_minutes=30, location="", description="", gremium=gremium, **series
        )
        s.add(row)
        s.flush()
        return row.id


def test_a_meeting_at_a_missing_time_never_takes_a_feed_down(demo_app: Flask) -> None:
    """Finding 2: a series at 02:30 on the DST Sunday turned three feeds into 500s."""
    left_out.clear()
    series_id = _stored_badly(demo_app, dtstart=GAP, rrule=None)
    with demo_app.app_context(), session_scope(demo_app) as s:
        stored = s.get(MeetingSeries, series_id)
        assert stored is not None
        stored.extra_dates.append(ExtraDate(start=datetime(2028, 3, 26, 2, 30), sequence=0))  # a gap too
    client = demo_app.test_client()
    office = client.get("/feeds/all.ics")
    gremium = client.get("/feeds/gremium/beirat-fuer-partizipation-und-integration.ics")
    assert office.status_code == gremium.status_code == 200
    assert b"Beirat" in gremium.data and f"series-{series_id}@".encode() not in office.data
    health = client.get("/healthz").json
    assert health["status"] == "degraded"
    assert any(p["uid"].startswith(f"series-{series_id}@") for p in health["left_out_of_feeds"])
    occurrences = client.get("/api/v1/occurrences", query_string={"from": "2027-03-28", "to": "2027-03-29"}).json
    (occ,) = [o for o in occurrences["occurrences"] if o["title"] == "Altlast"]
    assert occ["start"] < occ["end"]  # the API no longer shows it ending before it starts
    assert client.get("/agenda/2027/03").status_code == 200


def test_a_stored_endless_count_renders_without_listing_its_dates(demo_app: Flask) -> None:
    """Finding 3: COUNT=10^9 made every cold render of all.ics take seconds and pin memory."""
    _stored_badly(demo_app, dtstart=datetime(2024, 1, 8, 9), rrule="FREQ=DAILY;COUNT=1000000000")
    with budget() as meter:
        answer = demo_app.test_client().get("/feeds/all.ics")
    assert answer.status_code == 200 and b"COUNT=1000000000" in answer.data
    assert meter.used == 0  # publishing a rule expands nothing


def test_an_old_title_with_a_control_character_leaves_the_word_report_whole(demo_app: Flask) -> None:
    """Finding 12: control characters in a title made the DOCX report answer 500 (defence in depth)."""
    from calsvc.models import Activity

    with demo_app.app_context(), session_scope(demo_app) as s:
        activity = s.scalar(select(Activity).where(Activity.number == 1))
        assert activity is not None
        activity.title = "Alt\x07last\x1b"  # (PostgreSQL text cannot hold NUL at all)
    client = demo_app.test_client()
    for fmt in ("docx", "pdf", "csv"):
        assert client.get(f"/bericht/2024/Q2.{fmt}").status_code == 200, fmt
    assert client.get("/bericht/2024/Q2").status_code == 200


def test_anonymous_requests_get_the_smaller_budget(app: Flask, run_cli: Any) -> None:
    """Without a login or a valid token a request may expand less; a made-up token is anonymous."""
    from calsvc.plan.demo import load_demo

    from .editing_support import login, make_token, make_user

    with app.app_context(), session_scope(app) as s:
        load_demo(s)
    make_user(run_cli)
    token = make_token(run_cli)
    url = app.config["DATABASE_URL"]
    small = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "CALSVC_ANONYMOUS_OCCURRENCES": 50})
    client = small.test_client()
    years = {"from": "2024-01-01", "to": "2026-01-01"}

    def occurrences(authorization: str | None) -> Any:
        headers = {"Authorization": authorization} if authorization else {}
        return client.get("/api/v1/occurrences", query_string=years, headers=headers)

    for anonymous in (None, "Bearer made-up", "Basic eA=="):
        refused = occurrences(anonymous)
        assert refused.status_code == 422 and refused.json["error"]["code"] == "too_much_work", anonymous
    assert occurrences(f"Bearer {token}").status_code == 200
    login(client)  # a session cookie of a logged-in editor counts too
    assert occurrences(None).status_code == 200
    small.extensions["calsvc.engine"].dispose()
