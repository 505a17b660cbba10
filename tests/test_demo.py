"""The demo: the whole 2024 plan plus example meetings, loaded twice without changes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from calsvc.db import session_scope
from calsvc.models import Activity, Gremium, MeetingSeries, OngoingTask, Person
from calsvc.schedule.engine import occurrences
from calsvc.schedule.walltime import BERLIN


def test_demo_holds_the_plan_and_labelled_examples(demo_app: Flask) -> None:
    with demo_app.app_context(), session_scope(demo_app) as s:
        assert s.scalar(select(func.count()).select_from(Activity).where(Activity.plan_year == 2024)) == 25
        carried = s.scalars(select(Activity).where(Activity.plan_year > 2024)).all()  # 2025 … this year
        assert carried and all(a.carried_from_year == a.plan_year - 1 for a in carried)
        assert s.scalar(select(func.count()).select_from(Gremium)) == 30  # 29 from the table + Dienstberatung
        assert s.scalar(select(Person).where(Person.code == "Int2")).vacant
        series = s.scalars(select(MeetingSeries)).all()
        assert series and all(x.is_example and "Beispiel" in x.description for x in series)
        task = s.scalar(select(OngoingTask).where(OngoingTask.title.startswith("Dienstberatungen")))
        assert task.gremium.slug == "dienstberatung-integration"
        may = occurrences(s, date(2024, 5, 1), date(2024, 6, 1), person="IntB", include_activities=False)
        dienstberatung = [o.first_day for o in may if o.title == "Dienstberatung Integration"]
        assert dienstberatung == [date(2024, 5, 14), date(2024, 5, 28)]


def test_demo_carries_the_plan_to_this_year_so_today_is_alive(demo_app: Flask) -> None:
    today = datetime.now(BERLIN).date()
    with demo_app.app_context(), session_scope(demo_app) as s:
        years = sorted(set(s.scalars(select(Activity.plan_year))))
        assert years == list(range(2024, max(today.year, 2024) + 1))
        month = occurrences(s, today.replace(day=1), today.replace(day=28))
    assert any(o.kind == "activity" for o in month)  # the ongoing ("fortlaufend", "ganzjährig") ones
    page = demo_app.test_client().get("/").get_data(as_text=True)
    assert "(Arbeitsplan 2024)" not in page or today.year == 2024


def test_demo_command_is_idempotent(app: Flask, run_cli: Any) -> None:
    first = run_cli("demo")
    assert first.exit_code == 0, first.output
    with app.app_context(), session_scope(app) as s:
        ids = sorted(s.scalars(select(MeetingSeries.id)))
    second = run_cli("demo")
    assert second.exit_code == 0 and "Keine Änderungen" in second.output
    with app.app_context(), session_scope(app) as s:
        assert sorted(s.scalars(select(MeetingSeries.id))) == ids  # feed UIDs stay stable


def test_overview_page_shows_gremien_with_leads(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/uebersicht").get_data(as_text=True)
    assert "Jour fixe der LAF-Unterkünfte" in page and "Gremien (30)" in page
