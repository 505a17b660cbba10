"""The report's change section in German sentences (issue 17): no field paths, RRULE or commands."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask

from calsvc.db import session_scope
from calsvc.editing.activities import create_activity, update_activity
from calsvc.editing.occurrence_edits import change_occurrence
from calsvc.editing.series import create_series, update_series
from calsvc.models import Person
from calsvc.report import build_quarter_report, render
from calsvc.report.changes import rule_text
from calsvc.report.quarter import Quarter
from calsvc.schedule.walltime import BERLIN

FORBIDDEN = ("exceptions[", "sequence", "FREQ=", "RRULE", "calsvc", "→", "rrule", "cancelled")


def test_rule_text_says_the_rhythm_in_words() -> None:
    assert rule_text("FREQ=WEEKLY;INTERVAL=2") == "alle 2 Wochen"
    assert rule_text("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH") == "alle 2 Monate am zweiten Donnerstag"
    assert rule_text("FREQ=MONTHLY;BYDAY=1WE") == "monatlich am ersten Mittwoch"
    assert rule_text(None) == ""


def test_q4_change_section_reads_as_german_sentences(app: Flask) -> None:
    today = datetime.now(BERLIN).date()
    q = Quarter.containing(today)
    first = q.first_day + timedelta(days=(1 - q.first_day.weekday()) % 7)  # a Tuesday
    late = max(
        first + timedelta(weeks=n) for n in range(14) if first + timedelta(weeks=n) <= q.last_day
    )  # the quarter's last Tuesday
    with app.app_context(), session_scope(app) as session:
        session.add(Person(code="IntB", title="Integrationsbeauftragte"))
        session.flush()
        series = create_series(
            session,
            "irina",
            {"title": "Dienstberatung", "dtstart": f"{first.isoformat()}T10:00", "duration_minutes": 90,
             "rrule": "FREQ=WEEKLY;INTERVAL=1", "location": "Rathaus"},
        )  # fmt: skip
        session.flush()
        change_occurrence(
            session, "irina", series, "cancel", {"recurrence_id": f"{late.isoformat()}T10:00"}, series.version
        )
        update_series(session, "irina", series, {"location": "BIZ"}, series.version)
        activity = create_activity(
            session,
            "irina",
            {
                "plan_year": q.year,
                "number": 26,
                "title": "Fachtag",
                "terminierung": "Dezember",
                "responsible": ["IntB"],
            },
        )
        session.flush()
        update_activity(session, "irina", activity, {"status": "in Arbeit"}, activity.version)
        create_activity(
            session,
            "irina",
            {"plan_year": q.year - 2, "number": 3, "title": "Altes", "terminierung": "Mai", "responsible": ["IntB"]},
        )
    with app.app_context(), session_scope(app) as session:
        report = build_quarter_report(session, q.year, q.number, today=today)
    texts = [c.text for c in report.changes]
    assert f"Dienstberatung am {late:%d.%m.} abgesagt" in texts
    assert f"Dienstberatung ab {today:%d.%m.} im BIZ" in texts
    assert "neue Aktivität 26: Fachtag (Dezember)" in texts
    assert "Aktivität 26 „Fachtag“: Stand jetzt in Arbeit" in texts
    assert not any("Altes" in t for t in texts)  # a change of an older plan year is not this year's
    assert all(c.details == () for c in report.changes)
    assert not any(word in " ".join(texts) for word in FORBIDDEN)
    with app.app_context():
        html = render(report, "html").decode()
    section = html[html.index('id="aenderungen"') :]
    assert f"Dienstberatung am {late:%d.%m.} abgesagt" in section
    assert not any(word in section.split("Erstellt am")[0] for word in FORBIDDEN)
