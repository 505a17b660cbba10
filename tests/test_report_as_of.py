"""Reports as of their "Stand" date (issue 17): later edits do not rewrite a past quarter's report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.editing.activities import add_progress, create_activity, delete_activity, update_activity
from calsvc.editing.occurrence_edits import change_occurrence
from calsvc.editing.series import update_series
from calsvc.models import Activity, MeetingSeries
from calsvc.report import build_quarter_report
from calsvc.report.model import QuarterReport

VIEWED = date(2026, 12, 2)  # the edits below are stamped with the real clock, after mid-2024


def _q2(app: Flask) -> QuarterReport:
    with app.app_context(), session_scope(app) as session:
        report = build_quarter_report(session, 2024, 2, today=VIEWED)
    return replace(report, generated_at=None, changes=())  # type: ignore[arg-type]


def _activity(session: object, number: int) -> Activity:
    return session.scalar(select(Activity).where(Activity.plan_year == 2024, Activity.number == number))  # type: ignore[attr-defined, no-any-return]


def test_editing_2024_data_later_leaves_the_q2_2024_report_as_it_was(demo_app: Flask) -> None:
    before = _q2(demo_app)
    with demo_app.app_context(), session_scope(demo_app) as session:
        nine = _activity(session, 9)
        update_activity(session, "irina", nine, {"terminierung": "2. Halbjahr 2024", "title": "Neu"}, nine.version)
        two = _activity(session, 2)
        add_progress(session, "irina", two, {"day": "2026-11-30", "status": "erledigt", "note": "spät"}, two.version)
        delete_activity(session, "irina", _activity(session, 25), _activity(session, 25).version)
        create_activity(
            session,
            "irina",
            {"plan_year": 2024, "number": 26, "title": "Nachtrag", "terminierung": "Mai 2024", "responsible": ["IntB"]},
        )
        series = session.scalars(select(MeetingSeries).order_by(MeetingSeries.id)).first()
        assert series is not None and series.rrule
        update_series(session, "irina", series, {"location": "Anderswo", "title": "Umbenannt"}, series.version)
        session.flush()
        first_in_q2 = next(
            o for o in _series_dates(session, series.id) if date(2024, 4, 1) <= o.date() <= date(2024, 6, 30)
        )
        change_occurrence(
            session, "irina", series, "cancel", {"recurrence_id": first_in_q2.isoformat(), "note": "x"}, series.version
        )
    after = _q2(demo_app)
    assert after.activities == before.activities
    assert after.gremien == before.gremien
    assert [a.number for a in after.activities] == list(range(1, 26))  # 25 back, 26 not yet there


def test_while_the_quarter_runs_the_report_shows_todays_state(app: Flask) -> None:
    from calsvc.models import Person

    with app.app_context(), session_scope(app) as session:
        session.add(Person(code="IntB", title="Integrationsbeauftragte"))
        session.flush()
        year = date.today().year
        data = {"plan_year": year, "number": 1, "title": "Alt", "terminierung": "IV. Quartal", "responsible": ["IntB"]}
        one = create_activity(session, "irina", data)
        session.flush()
        update_activity(session, "irina", one, {"title": "Neu"}, one.version)
    with app.app_context(), session_scope(app) as session:
        running = build_quarter_report(session, year, 4)
    assert [a.title for a in running.activities] == ["Neu"]


def _series_dates(session: object, series_id: int) -> list:  # type: ignore[type-arg]
    from calsvc.schedule.engine import occurrences

    found = occurrences(session, date(2024, 4, 1), date(2024, 7, 1), include_activities=False)  # type: ignore[arg-type]
    return [o.recurrence_id.replace(tzinfo=None) for o in found if o.source_id == series_id and o.recurrence_id]
