"""Plans per year (issue 17): "Arbeitsplan 2025 anlegen" carries the 2024 plan over."""

from __future__ import annotations

from datetime import date, datetime
from importlib import resources
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.editing.activities import add_progress, create_activity
from calsvc.models import Activity, OngoingTask
from calsvc.plan.demo import DEMO_PLAN
from calsvc.plan.importer import import_plan
from calsvc.plan.years import new_plan, plan_years
from calsvc.report import build_quarter_report
from calsvc.report.builder import is_overdue
from calsvc.report.issue import later_changes
from calsvc.report.quarter import Quarter
from calsvc.schedule.engine import occurrences
from calsvc.schedule.store import activity_spec

from .editing_support import csrf_from, login, make_user


@pytest.fixture
def plan_app(app: Flask) -> Flask:
    """The packaged 2024 plan alone (the demo carries it over to this year already)."""
    text = resources.files("calsvc.data").joinpath(DEMO_PLAN).read_text(encoding="utf-8")
    with app.app_context(), session_scope(app) as session:
        import_plan(session, text, year=2024, source="plan.txt")
    return app


def _numbers(session: Any, year: int) -> list[int]:
    return list(session.scalars(select(Activity.number).where(Activity.plan_year == year).order_by(Activity.number)))


def test_new_plan_carries_unfinished_activities_and_ongoing_tasks(plan_app: Flask) -> None:
    with plan_app.app_context(), session_scope(plan_app) as session:
        done = session.scalar(select(Activity).where(Activity.plan_year == 2024, Activity.number == 5))
        assert done is not None
        add_progress(session, "irina", done, {"day": "2024-03-18", "status": "erledigt"}, done.version)
        tasks_2024 = session.scalars(select(OngoingTask.title).where(OngoingTask.plan_year == 2024)).all()
        result = new_plan(session, "irina", 2025)
        assert (result.source_year, result.activities, result.tasks) == (2024, 24, len(tasks_2024))
        assert _numbers(session, 2025) == [n for n in range(1, 26) if n != 5]
        nine = session.scalar(select(Activity).where(Activity.plan_year == 2025, Activity.number == 9))
        assert nine is not None and nine.carried_from_year == 2024
        assert nine.terminierung == "II. Quartal 2024, fortlaufend"
        assert "Aus dem Arbeitsplan 2024 übernommen" in nine.progress[0].note
        assert session.scalars(select(OngoingTask.title).where(OngoingTask.plan_year == 2025)).all() == tasks_2024
        assert plan_years(session) == [2024, 2025]
    with plan_app.app_context(), session_scope(plan_app) as session:
        # "fortlaufend" of the 2025 copy runs through 2025; the 2024 row keeps 2024
        spans = [(o.first_day, o.last_day) for o in occurrences(session, date(2025, 11, 1), date(2025, 12, 1))
                 if o.kind == "activity" and o.source_id == nine.id]  # fmt: skip
        assert spans == [(date(2025, 1, 1), date(2025, 12, 31))]
        q3 = build_quarter_report(session, 2025, 3, today=date(2026, 1, 10))
        row = {a.number: a for a in q3.activities}[9]
        assert row.carried_from_year == 2024 and not row.overdue
        assert 2024 in {a.carried_from_year for a in q3.activities}
        # a report of the plan year before the carry-over was made still has them (they belong from 01.01.)
        q1 = build_quarter_report(session, 2025, 1, today=date(2026, 1, 10))
        assert len(q1.activities) == 24
        told = [c.text for c in later_changes(session, 2025, datetime(2025, 1, 1))]
    # one sentence for the carry-over, not one per activity
    assert told == [
        "Arbeitsplan 2025 angelegt: 24 unerledigte Aktivitäten aus dem Arbeitsplan 2024 übernommen (Nr. 1–4, 6–25)"
    ]


def test_i_quartal_2025_fortlaufend_is_shown_ongoing_through_2025(plan_app: Flask) -> None:
    with plan_app.app_context(), session_scope(plan_app) as session:
        new_plan(session, "irina", 2025)
        data = {"plan_year": 2025, "number": 26, "title": "Neu 2025", "terminierung": "I. Quartal 2025, fortlaufend",
                "responsible": ["IntB"]}  # fmt: skip
        create_activity(session, "irina", data)
    with plan_app.app_context(), session_scope(plan_app) as session:
        for month in range(1, 13):
            day = date(2025, month, 15)
            found = [o for o in occurrences(session, day, date(2025, month, 16)) if o.title == "Neu 2025"]
            assert found, month
        row = session.scalar(select(Activity).where(Activity.plan_year == 2025, Activity.number == 26))
        assert row is not None
        spec = activity_spec(row)
    # the report's rule (its Q3/2025 report, built today, predates the row: it is rebuilt as of 30.09.2025)
    assert not is_overdue(spec, "geplant", Quarter(2025, 3), date(2025, 10, 2))
    assert spec.published_periods()[0].end == date(2025, 12, 31)


def test_a_year_with_a_plan_is_refused_and_the_page_action_names_the_field(plan_app: Flask, run_cli: Any) -> None:
    with plan_app.app_context(), session_scope(plan_app) as session:
        new_plan(session, "irina", 2025)
    client = plan_app.test_client()
    make_user(run_cli)
    login(client)
    page = client.get("/bearbeiten/")
    assert "Arbeitsplan 2026 anlegen" in page.get_data(as_text=True)
    again = client.post("/bearbeiten/arbeitsplan", data={"csrf_token": csrf_from(page), "year": "2025"})
    assert again.status_code == 409 and "Den Arbeitsplan 2025 gibt es schon." in again.get_data(as_text=True)
    bad = client.post("/bearbeiten/arbeitsplan", data={"csrf_token": csrf_from(page), "year": "20x6"})
    assert bad.status_code == 422 and "„20x6“ ist kein Jahr" in bad.get_data(as_text=True)
    ok = client.post("/bearbeiten/arbeitsplan", data={"csrf_token": csrf_from(page), "year": "2026"})
    assert ok.status_code == 302
    with plan_app.app_context(), session_scope(plan_app) as session:
        assert plan_years(session) == [2024, 2025, 2026]
    december = client.get("/agenda/2026/12").get_data(as_text=True)
    assert "Daueraufgaben" in december and "(Arbeitsplan 2024)" not in december


def test_cli_new_plan(plan_app: Flask, run_cli: Any) -> None:
    result = run_cli("new-plan", "2025")
    assert result.exit_code == 0, result.output
    assert "Arbeitsplan 2025 angelegt aus dem Arbeitsplan 2024" in result.output
    again = run_cli("new-plan", "2025")
    assert again.exit_code != 0 and "gibt es schon" in again.output
