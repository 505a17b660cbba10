"""The demo: the whole 2024 plan plus example meetings, loaded twice without changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from calsvc.db import session_scope
from calsvc.models import Activity, Gremium, MeetingSeries, OngoingTask, Person
from calsvc.schedule.engine import occurrences


def test_demo_holds_the_plan_and_labelled_examples(demo_app: Flask) -> None:
    with demo_app.app_context(), session_scope(demo_app) as s:
        assert s.scalar(select(func.count()).select_from(Activity)) == 25
        assert s.scalar(select(func.count()).select_from(Gremium)) == 30  # 29 from the table + Dienstberatung
        assert s.scalar(select(Person).where(Person.code == "Int2")).vacant
        series = s.scalars(select(MeetingSeries)).all()
        assert series and all(x.is_example and "Beispiel" in x.description for x in series)
        task = s.scalar(select(OngoingTask).where(OngoingTask.title.startswith("Dienstberatungen")))
        assert task.gremium.slug == "dienstberatung-integration"
        may = occurrences(s, date(2024, 5, 1), date(2024, 6, 1), person="IntB", include_activities=False)
        dienstberatung = [o.first_day for o in may if o.title == "Dienstberatung Integration"]
        assert dienstberatung == [date(2024, 5, 14), date(2024, 5, 28)]


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
