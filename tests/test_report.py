"""The quarterly report builder: activities, meetings (from the occurrence engine) and plan changes."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from importlib import resources

import pytest
from flask import Flask

from calsvc.db import session_scope
from calsvc.plan.demo import DEMO_PLAN
from calsvc.plan.importer import import_plan
from calsvc.report import build_quarter_report
from calsvc.report.builder import meeting_state
from calsvc.report.issue import later_changes
from calsvc.report.model import QuarterReport
from calsvc.report.quarter import Quarter
from calsvc.schedule.engine import occurrences
from calsvc.schedule.specs import Occurrence
from calsvc.schedule.walltime import BERLIN

from .report_support import small_plan_app

AFTER_2024 = date(2025, 1, 15)


def _report(app: Flask, year: int = 2024, quarter: int = 2, today: date = AFTER_2024) -> QuarterReport:
    with app.app_context(), session_scope(app) as session:
        return build_quarter_report(session, year, quarter, today=today)


@pytest.fixture
def small_app(app: Flask) -> Flask:
    return small_plan_app(app)


# --- the demo: the plan's 25 activities and the example meetings -------------------------


def test_demo_q2_lists_all_25_activities_with_terminierung_verbatim(demo_app: Flask) -> None:
    report = _report(demo_app)
    assert [a.number for a in report.activities] == list(range(1, 26))
    plan = {int(n): t for n, _title, _resp, t in _plan_rows()}
    assert {a.number: a.terminierung for a in report.activities} == plan
    by_number = {a.number: a for a in report.activities}
    assert by_number[7].responsible == ("Int1", "SozL") and by_number[7].terminierung == "25. April 2024"
    assert by_number[21].terminierung == "IV. Quartal" and by_number[21].period_label == "im IV. Quartal 2024"
    assert by_number[15].unscheduled and by_number[15].period_label == "noch zu klären"
    assert {a.status for a in report.activities} == {"geplant"}
    assert report.status_counts == {"geplant": 25, "in Arbeit": 0, "erledigt": 0, "verschoben": 0, "entfallen": 0}


def test_demo_q2_overdue_and_due_next_quarter(demo_app: Flask) -> None:
    report = _report(demo_app)
    overdue = {a.number for a in report.overdue}
    assert 2 in overdue  # "April 2024", still geplant at the end of Q2
    # 9 and 13 are "II. Quartal 2024, fortlaufend": they start in Q2 and go on, never overdue
    assert overdue == {1, 2, 3, 4, 5, 6, 7, 8, 24, 25}
    assert {a.number for a in report.due_next_quarter} == {14, 22}  # September 2024; III. und IV. Quartal
    assert not {10, 11, 12, 15} & overdue  # ganzjährig and "noch zu klären" are never overdue in Q2


def test_demo_q2_overdue_only_counts_periods_ended_before_today(demo_app: Flask) -> None:
    report = _report(demo_app, today=date(2024, 5, 15))
    overdue = {a.number for a in report.overdue}
    assert 2 in overdue and 6 in overdue  # April, I. Quartal: over by mid-May
    assert 8 not in overdue and 24 not in overdue  # II. Quartal: still running


def test_demo_meeting_counts_equal_the_occurrence_engine(demo_app: Flask) -> None:
    report = _report(demo_app)
    q = Quarter(2024, 2)
    with demo_app.app_context(), session_scope(demo_app) as session:
        found = occurrences(session, q.first_day, q.end, include_activities=False, include_cancelled=True)
    expected: dict[str, Counter[str]] = {}
    for occurrence in found:
        expected.setdefault(occurrence.gremium_slug or "", Counter())[meeting_state(occurrence, AFTER_2024)] += 1
    got = {g.slug: g.counts for g in report.gremien if g.total}
    assert got == expected
    assert report.meeting_totals["gesamt"] == len(found) > 0


def test_demo_q2_concrete_meeting_facts(demo_app: Flask) -> None:
    gremien = {g.slug: g for g in _report(demo_app).gremien}
    laf = gremien["jour-fixe-der-laf-unterkuenfte"]
    assert laf.leads == ("Int1",)
    assert (laf.held, laf.moved, laf.cancelled, laf.total) == (0, 1, 0, 1)
    (moved,) = laf.meetings
    assert moved.start.replace(tzinfo=None) == datetime(2024, 5, 16, 14)
    assert moved.original_start is not None and moved.original_start.replace(tzinfo=None) == datetime(2024, 5, 9, 14)
    beirat = gremien["beirat-fuer-partizipation-und-integration"]
    assert beirat.leads == ("IntB",) and beirat.held == 3  # 03.04., 01.05. (a holiday, still held), 05.06.
    dienst = gremien["dienstberatung-integration"]
    assert dienst.held == 7 and dienst.leads == ("IntB",)
    assert gremien["ag-soziale-infrastruktur"].total == 0


def test_demo_q3_counts_the_cancelled_dienstberatung(demo_app: Flask) -> None:
    gremien = {g.slug: g for g in _report(demo_app, quarter=3).gremien}
    assert gremien["dienstberatung-integration"].cancelled == 1  # 23.07.2024
    assert gremien["beirat-fuer-partizipation-und-integration"].held == 2  # Sondersitzung 21.08. + 04.09.; none in July


def test_meetings_after_today_are_planned_not_held(demo_app: Flask) -> None:
    report = _report(demo_app, today=date(2024, 5, 15))
    dienst = {g.slug: g for g in report.gremien}["dienstberatung-integration"]
    assert dienst.held + dienst.planned == 7 and dienst.held == 4  # 02.04., 16.04., 30.04., 14.05.


# --- exact facts from a small plan ------------------------------------------------------


def test_status_is_the_latest_note_up_to_the_quarter_end(small_app: Flask) -> None:
    q2 = {a.number: a for a in _report(small_app).activities}
    assert (q2[25].status, q2[25].status_day, q2[25].note) == (
        "erledigt",
        date(2024, 4, 26),
        "Klausur am 25.04. durchgeführt",
    )
    assert not q2[25].overdue
    # its first note is dated in August; "fortlaufend" means it goes on, so not overdue either
    assert q2[9].status == "geplant" and not q2[9].overdue
    q1 = {a.number: a for a in _report(small_app, quarter=1).activities}
    assert q1[25].status == "geplant" and q1[25].note == ""
    q3 = {a.number: a for a in _report(small_app, quarter=3).activities}
    assert q3[9].status == "in Arbeit" and q3[9].note == "erstes Treffen"
    assert not q3[9].overdue  # "fortlaufend" and in progress


def test_while_a_quarter_runs_statuses_are_those_of_today(small_app: Flask) -> None:
    report = _report(small_app, today=date(2024, 4, 15))
    assert report.as_of == date(2024, 4, 15)
    assert {a.number: a for a in report.activities}[25].status == "in Arbeit"


def test_changes_come_from_audit_entries_and_plan_imports_in_the_quarter(small_app: Flask) -> None:
    changes = _report(small_app).changes
    assert [c.source for c in changes] == ["Bearbeitung", "Plan-Import"]  # not the account created on 03.05.
    edit, reimport = changes
    assert edit.actor == "irina"
    assert edit.text == (
        "Aktivität 1 „Bezirksrunde Antisemitismusprävention“: "
        "Terminierung jetzt „Januar 2024 April 2024“ (bisher „Januar 2024“)"
    )
    assert edit.details == ()  # a sentence for people, not field paths
    assert reimport.at.date() == date(2024, 6, 30)  # 21:30 UTC is still 30.06. in Berlin
    assert "1 neu, 2 geändert" in reimport.text and reimport.details[0].startswith("Aktivität 25 neu")
    assert [c.text for c in _report(small_app, quarter=3).changes] == ["außerhalb des Quartals"]


def test_a_reimport_of_the_plan_belongs_to_its_plan_year(demo_app: Flask) -> None:
    now = datetime.now(BERLIN)
    with demo_app.app_context(), session_scope(demo_app) as session:
        text = _plan_text().replace("April 2024\n", "Mai 2024\n", 1)
        import_plan(session, text, year=2024, source="arbeitsplan-v2.txt")
    q = Quarter.containing(now.date())
    report = _report(demo_app, year=q.year, quarter=q.number, today=now.date())
    imports = [c for c in report.changes if c.source == "Plan-Import"]
    # a re-import of the 2024 plan is a change of the 2024 plan, not of the current year's (issue 17)
    assert not imports or q.year == 2024
    with demo_app.app_context(), session_scope(demo_app) as session:
        later = later_changes(session, 2024, datetime(2025, 1, 1))
    assert later[-1].text == "Arbeitsplan 2024 neu eingelesen aus arbeitsplan-v2.txt"  # after the demo's own import


def test_empty_year_gives_an_empty_report(app: Flask) -> None:
    report = _report(app, year=2031, quarter=1)
    assert report.activities == () and report.gremien == () and report.changes == ()
    assert report.meeting_totals["gesamt"] == 0


def test_meeting_state_prefers_cancelled_over_moved() -> None:
    start = datetime(2024, 5, 16, 14).astimezone()
    base = Occurrence(key="k", uid="u", kind="meeting", source_id=1, title="t", start=start, end=start)
    assert meeting_state(base, date(2024, 6, 1)) == "stattgefunden"
    assert meeting_state(base, date(2024, 5, 16)) == "geplant"
    moved = Occurrence(key="k", uid="u", kind="meeting", source_id=1, title="t", start=start, end=start, moved=True)
    assert meeting_state(moved, date(2024, 6, 1)) == "verlegt"
    both = Occurrence(
        key="k", uid="u", kind="meeting", source_id=1, title="t", start=start, end=start, moved=True, status="cancelled"
    )
    assert meeting_state(both, date(2024, 6, 1)) == "abgesagt"


def _plan_rows() -> list[tuple[str, str, str, str]]:
    text = _plan_text().split("3. geplante Aktivitäten")[1]
    rows = [tuple(line.split("\t")) for line in text.splitlines()]
    return [r for r in rows if len(r) == 4 and r[0].isdigit()]  # type: ignore[misc]


def _plan_text() -> str:
    return resources.files("calsvc.data").joinpath(DEMO_PLAN).read_text(encoding="utf-8")
