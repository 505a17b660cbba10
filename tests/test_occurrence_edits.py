"""Single-occurrence actions: EXDATE data, overrides with rising SEQUENCE, restore, extra dates."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask

from calsvc.db import session_scope
from calsvc.editing.conflict_check import ConflictReview, Unconfirmed
from calsvc.editing.occurrence_edits import add_extra_date, change_occurrence, remove_extra_date
from calsvc.editing.series import create_series, update_series
from calsvc.errors import ValidationError
from calsvc.schedule.engine import expand
from calsvc.schedule.store import series_spec

NEW = {"title": "Jour fixe", "dtstart": "2024-01-11T14:00", "duration_minutes": "120", "pattern": "bimonthly"}


def _starts(series: object, include_cancelled: bool = False) -> list[str]:
    found = expand(
        [series_spec(series)],
        [],
        datetime(2024, 1, 1),
        datetime(2024, 8, 1),  # type: ignore[arg-type]
        include_cancelled=include_cancelled,
    )
    return [f"{o.start:%d.%m. %H:%M}{' x' if o.cancelled else ''}" for o in found]


def test_cancel_move_restore_and_extra_dates(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        series = create_series(s, "a", NEW, ConflictReview(confirm=True))  # 09.05. is a holiday
        assert _starts(series) == ["11.01. 14:00", "14.03. 14:00", "09.05. 14:00", "11.07. 14:00"]
        change_occurrence(s, "a", series, "cancel", {"recurrence_id": "2024-03-14T14:00"}, 1)
        assert series.sequence == 1 and "14.03. 14:00 x" in _starts(series, include_cancelled=True)
        exc = change_occurrence(
            s, "a", series, "move", {"recurrence_id": "2024-05-09T14:00", "new_start": "2024-05-16T10:00"}, 2
        )
        assert exc is not None and exc.sequence == series.sequence == 2
        assert _starts(series) == ["11.01. 14:00", "16.05. 10:00", "11.07. 14:00"]
        change_occurrence(s, "a", series, "restore", {"recurrence_id": "2024-03-14T14:00"}, 3)
        assert "14.03. 14:00" in _starts(series) and series.sequence == 3
        extra = add_extra_date(s, "a", series, {"start": "2024-06-20T14:00"}, 4)
        assert "20.06. 14:00" in _starts(series) and series.sequence == 4
        remove_extra_date(s, "a", series, extra.id, 5)
        assert "20.06. 14:00" not in _starts(series)
        with pytest.raises(ValidationError) as err:
            change_occurrence(s, "a", series, "cancel", {"recurrence_id": "2024-03-15T14:00"}, 6)
        assert err.value.field == "recurrence_id"
        with pytest.raises(ValidationError) as err:
            change_occurrence(s, "a", series, "relocate", {"recurrence_id": "2024-03-14T14:00"}, 6)
        assert err.value.field == "new_location"


def test_changing_the_rule_drops_exceptions_it_no_longer_produces(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        series = create_series(s, "a", NEW, ConflictReview(confirm=True))  # 09.05. is a holiday
        change_occurrence(s, "a", series, "cancel", {"recurrence_id": "2024-03-14T14:00"}, 1)
        update_series(s, "a", series, {"dtstart": "2024-01-11T15:00"}, 2)
        assert series.exceptions == [] and series.rrule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH"
        assert series.sequence == 2


def test_a_meeting_without_people_is_still_checked_for_holidays(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s, pytest.raises(Unconfirmed) as refused:
        create_series(s, "a", NEW)
    counts, only = refused.value.conflicts
    assert counts == "1 Konflikt: Feiertag 1" and refused.value.total == 1
    assert only.startswith("09.05.2024: ") and "Christi Himmelfahrt" in only


def test_single_meetings_have_no_occurrence_exceptions(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        series = create_series(s, "a", {**NEW, "pattern": "once"})
        with pytest.raises(ValidationError):
            change_occurrence(s, "a", series, "cancel", {"recurrence_id": "2024-01-11T14:00"}, 1)
