"""Regression for issue 17: "fortlaufend" means ongoing from the named period until done or the plan's end."""

from __future__ import annotations

from datetime import date

from flask import Flask

from calsvc.db import session_scope
from calsvc.fuzzydates import ongoing_end, ongoing_label, parse_terminierung
from calsvc.models import Activity, ActivityPeriod, ActivityProgress, Person
from calsvc.report import build_quarter_report
from calsvc.schedule.engine import occurrences


def test_ongoing_end_reaches_the_plan_year_end_or_the_day_it_was_closed() -> None:
    q1 = date(2025, 3, 31)
    assert ongoing_end(q1, 2025) == date(2025, 12, 31)
    assert ongoing_end(q1, 2025, date(2025, 8, 14), closed=True) == date(2025, 8, 14)
    assert ongoing_end(q1, 2025, date(2025, 2, 1), closed=True) == q1  # never shorter than named
    assert ongoing_end(q1, 2025, None, closed=True) == q1
    assert ongoing_label("im I. Quartal 2025") == "ab I. Quartal 2025, fortlaufend"


def _add(app: Flask, number: int, text: str, *, closed_on: date | None = None) -> None:
    meaning = parse_terminierung(text, 2025)
    with app.app_context(), session_scope(app) as session:
        person = session.query(Person).filter_by(code="Int1").one_or_none() or Person(code="Int1", title="Referentin")
        activity = Activity(plan_year=2025, number=number, title=f"Aktivität {number}", terminierung=text)
        activity.ongoing, activity.unscheduled = meaning.ongoing, meaning.unscheduled
        activity.responsible = [person]
        activity.periods = [
            ActivityPeriod(position=i, start=p.start, end=p.end, precision=p.precision.value, focus=p.focus)
            for i, p in enumerate(meaning.periods)
        ]
        if closed_on:
            activity.status = "erledigt"
            activity.progress = [ActivityProgress(day=closed_on, status="erledigt", note="abgeschlossen")]
        session.add(activity)


def _spans(app: Flask, lo: date, hi: date) -> dict[str, tuple[date, date, str]]:
    with app.app_context(), session_scope(app) as session:
        found = occurrences(session, lo, hi)
    return {o.title: (o.first_day, o.last_day, o.label) for o in found if o.kind == "activity"}


def test_first_quarter_fortlaufend_is_shown_through_the_year_like_ab_mai(app: Flask) -> None:
    _add(app, 1, "I. Quartal 2025, fortlaufend")
    _add(app, 2, "ab Mai 2025")
    _add(app, 3, "I. Quartal 2025")
    november = _spans(app, date(2025, 11, 1), date(2025, 12, 1))
    assert november["Aktivität 1"] == (date(2025, 1, 1), date(2025, 12, 31), "ab I. Quartal 2025, fortlaufend")
    assert november["Aktivität 2"][1] == date(2025, 12, 31)
    assert "Aktivität 3" not in november  # without "fortlaufend" the quarter ends it
    assert not _spans(app, date(2026, 1, 1), date(2026, 2, 1))  # the plan year's end ends it


def test_done_ends_the_ongoing_span_on_the_day_it_was_marked(app: Flask) -> None:
    _add(app, 1, "I. Quartal 2025, fortlaufend", closed_on=date(2025, 8, 14))
    assert _spans(app, date(2025, 8, 1), date(2025, 9, 1))["Aktivität 1"][:2] == (date(2025, 1, 1), date(2025, 8, 14))
    assert not _spans(app, date(2025, 9, 1), date(2025, 10, 1))


def test_report_never_calls_an_ongoing_activity_overdue(app: Flask) -> None:
    _add(app, 1, "I. Quartal 2025, fortlaufend")
    _add(app, 3, "I. Quartal 2025")
    with app.app_context(), session_scope(app) as session:
        q3 = build_quarter_report(session, 2025, 3, today=date(2026, 1, 10))
        q1 = build_quarter_report(session, 2025, 1, today=date(2026, 1, 10))
    rows = {a.number: a for a in q3.activities}
    assert not rows[1].overdue and rows[3].overdue
    assert not rows[1].due_next_quarter  # an ongoing activity is due when it starts, not at the year's end
    assert [a.number for a in q1.activities if a.ongoing] == [1]


def test_api_occurrences_show_the_ongoing_span(app: Flask) -> None:
    _add(app, 1, "I. Quartal 2025, fortlaufend")
    body = app.test_client().get("/api/v1/occurrences?from=2025-10-01&to=2025-11-01").get_json()
    spans = [(o["start"], o["end"]) for o in body["occurrences"] if o["kind"] == "activity"]
    assert spans == [("2025-01-01", "2025-12-31")]


def test_api_activity_lists_the_spans_it_covers(app: Flask) -> None:
    _add(app, 1, "I. Quartal 2025, fortlaufend")
    body = app.test_client().get("/api/v1/activities").get_json()
    (activity,) = body["activities"]
    assert activity["periods"] == [{"start": "2025-01-01", "end": "2025-03-31", "precision": "quarter", "focus": False}]
    assert activity["spans"] == [
        {"start": "2025-01-01", "end": "2025-12-31", "label": "ab I. Quartal 2025, fortlaufend"}
    ]


def test_feed_event_of_an_ongoing_activity_spans_to_the_plan_year_end() -> None:
    from datetime import UTC, datetime

    from calsvc.publishing.content import FeedContext, activity_events
    from calsvc.schedule.specs import ActivitySpec, PeriodSpec

    spec = ActivitySpec(
        id=7, number=9, title="Jour fixe", plan_year=2025, terminierung="I. Quartal 2025, fortlaufend",
        periods=(PeriodSpec(date(2025, 1, 1), date(2025, 3, 31), "quarter", label="im I. Quartal 2025"),),
        ongoing=True, label="im I. Quartal 2025, fortlaufend",
    )  # fmt: skip
    ctx = FeedContext.at("test.calsvc", "https://calsvc.test/", datetime(2025, 6, 1, tzinfo=UTC))
    (event,) = activity_events(spec, ctx)
    assert (event.first_day, event.last_day) == (date(2025, 1, 1), date(2025, 12, 31))
    assert "ab I. Quartal 2025, fortlaufend" in event.summary
